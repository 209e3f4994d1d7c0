using System.Net;
using Antq.Contracts.Plan;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// Late reports under a district that has closed change its consolidated draft: several communes submitting late at
/// the same moment each succeed (none is told its own report was changed by someone else) and the draft holds the
/// sum of all of them, each with its line in the draft's history.
/// </summary>
public sealed class LateSubmissionRaceTests : IAsyncLifetime
{
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    ClockedReportingService service = null!;
    readonly AdjustableClock clock = new();
    readonly UnitLists units = UnitLists.Load();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("late-race");
        virtualHost = await TestVirtualHost.CreateAsync("late-race");
        service = new ClockedReportingService(database, virtualHost, clock);
        await service.StartAsync();
        await using var scope = service.Services.CreateAsyncScope();
        await units.InsertAsync(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Communes_reporting_late_at_once_under_a_closed_district_all_succeed_and_all_reach_its_draft()
    {
        const string province = "48"; // Đà Nẵng before the reform
        const string period = "2024-Y";
        var at = new DateOnly(2024, 12, 14);
        var district = units.ChildrenOf(province, at).Select(d => d.Code).Skip(2).First();
        var communes = units.ChildrenOf(district, at).Select(c => c.Code).ToList();
        Assert.True(communes.Count >= 5, $"district {district} has {communes.Count} communes");
        var now = clock.GetUtcNow();
        await service.Services.GetRequiredService<IBus>().Publish(new DeadlinesChanged
        {
            Period = period, OccurredAt = now,
            Deadlines = [.. communes.Select(c => new UnitDeadline { OrgUnitCode = c, ReportsToCode = district, DueAt = now.AddMinutes(1), Derived = false, Sequence = 1 })],
        });
        await Waiting.ForAsync(async () => await InDbAsync(db => db.Deadlines.CountAsync(d => d.Period == period)) == communes.Count, "the deadlines copy");

        // One commune reports on time; the district closes with a consolidated draft.
        using (var first = service.CreateClientAs($"cb-{communes[0]}", AntqRoles.CommuneOfficer, communes[0]))
        {
            await first.PutJsonAsync($"/api/reports/{communes[0]}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 1 } }).OkJsonAsync();
            await first.PostAsync($"/api/reports/{communes[0]}/{period}/submit", null).OkJsonAsync();
        }

        clock.Advance(TimeSpan.FromSeconds(61));
        await Waiting.ForAsync(async () => await InDbAsync(db => db.Closings.AnyAsync(c => c.OrgUnitCode == district && c.Period == period)), "the district's closing");
        using var admin = service.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
        await Waiting.ForAsync(async () =>
        {
            using var draft = await admin.GetAsync($"/api/reports/{district}/{period}");
            return draft.StatusCode == HttpStatusCode.OK;
        }, "the district's consolidated draft");

        // The others report late, all at once: each saves its draft first, then every submission goes together.
        var late = communes.Skip(1).ToList();
        var clients = late.ToDictionary(c => c, c => service.CreateClientAs($"cb-{c}", AntqRoles.CommuneOfficer, c));
        var etags = new Dictionary<string, string>();
        foreach (var (code, i) in late.Select((c, i) => (c, i)))
        {
            using var saved = await clients[code].PutJsonAsync($"/api/reports/{code}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 10 + i } });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
            etags[code] = saved.Headers.ETag!.Tag;
        }

        using var start = new SemaphoreSlim(0);
        var submissions = late.Select(async code =>
        {
            await start.WaitAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{code}/{period}/submit");
            request.Headers.TryAddWithoutValidation("If-Match", etags[code]);
            using var response = await clients[code].SendAsync(request);
            return (code, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(late.Count);
        var answers = await Task.WhenAll(submissions);
        foreach (var client in clients.Values) client.Dispose();
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"{a.code}: {(int)a.StatusCode} {a.Body}"));

        var draft = await admin.GetAsync($"/api/reports/{district}/{period}").OkJsonAsync();
        Assert.Equal(1 + late.Select((_, i) => 10 + i).Sum(), draft.GetProperty("values").GetProperty("FORUMS").GetDecimal());
        var included = draft.GetProperty("history").EnumerateArray().Count(h => h.GetProperty("action").GetString() == "lateIncluded");
        Assert.Equal(late.Count, included);
    }

    async Task<T> InDbAsync<T>(Func<ReportingDbContext, Task<T>> action)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }
}
