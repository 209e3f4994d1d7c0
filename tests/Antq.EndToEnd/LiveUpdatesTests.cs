using System.Net.Http.Headers;
using Antq.Portal.Live;
using Antq.Testing.Load;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.EndToEnd;

/// <summary>
/// Every portal replica hears every change of Reporting on a queue of its own, and tells the pages it has open that
/// watch a unit the change names, and no others.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LiveUpdatesTests(Platform platform)
{
    [Fact]
    public async Task A_submission_reaches_every_portal_replica_for_the_commune_and_the_province_and_not_for_another_period()
    {
        var (communeCode, _) = platform.Communes[^1];
        await platform.CreateUserAsync("ca.live", "Mat-khau-Live-2026", "Lò Văn Sáng", "CommuneOfficer", communeCode);
        using var officer = new HttpClient { BaseAddress = new Uri(platform.Address) };
        officer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await platform.TokenAsync("ca.live", "Mat-khau-Live-2026"));

        var heard = new List<(int Replica, string Watch, LiveChange Change)>();
        var subscriptions = new List<IDisposable>();
        for (var i = 0; i < platform.Portals.Count; i++)
        {
            var replica = i;
            var updates = platform.Portals[i].GetRequiredService<LiveUpdates>();
            foreach (var (watch, period, code) in new[]
                     {
                         ("province", Platform.Period, Platform.ProvinceCode), ("commune", Platform.Period, communeCode),
                         ("other-period", "2025-Y", Platform.ProvinceCode), ("other-commune", Platform.Period, platform.Communes[0].Code),
                     })
            {
                subscriptions.Add(updates.Watch(period, code, change =>
                {
                    lock (heard) heard.Add((replica, watch, change));
                    return Task.CompletedTask;
                }));
            }
        }

        try
        {
            var report = new StringContent(new FullReport().Body(Platform.Period, seed: 7), System.Text.Encoding.UTF8, "application/json");
            using var submitted = await officer.PostAsync($"api/reports/{communeCode}/{Platform.Period}/submit", report);
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());

            await Platform.Eventually(() =>
            {
                lock (heard)
                    return Task.FromResult(Enumerable.Range(0, platform.Portals.Count)
                        .All(r => heard.Any(h => h.Replica == r && h.Watch == "province") && heard.Any(h => h.Replica == r && h.Watch == "commune")));
            }, "a portal replica did not hear the submission for the province and the commune", seconds: 30);

            // Given time for stray deliveries, nothing reached a page watching another period (one with no deadline, so
            // nothing happens in it on its own) or another commune.
            await Task.Delay(500);
            lock (heard)
            {
                Assert.DoesNotContain(heard, h => h.Watch is "other-period" or "other-commune");
                Assert.All(heard, h => Assert.Equal(Platform.Period, h.Change.Period));
            }
        }
        finally
        {
            foreach (var subscription in subscriptions) subscription.Dispose();
        }
    }
}
