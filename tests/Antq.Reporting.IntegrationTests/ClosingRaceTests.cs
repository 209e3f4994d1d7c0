using System.Net;
using Antq.Contracts.Plan;
using Antq.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// A return, a resubmission and the period's close of one report, all at once, through two replicas, again and again
/// with the close a little earlier or later each time. Whichever wins, the end is one consistent state: the snapshot
/// holds the report exactly when the closing froze it (and a frozen report was not returned), the live roll-up holds it
/// exactly when it counts, and the district's consolidated draft holds it exactly when it counts (through the snapshot,
/// or added as late).
/// </summary>
public sealed class ClosingRaceTests(TwoReplicasFixture fixture) : IClassFixture<TwoReplicasFixture>
{
    [Fact]
    public async Task A_return_a_resubmission_and_the_close_at_once_end_in_one_consistent_state()
    {
        const string province = "48";
        var at = new DateOnly(2024, 12, 14);
        var district = fixture.Units.ChildrenOf(province, at).Select(d => d.Code).ToList()[2];
        var commune = fixture.Units.ChildrenOf(district, at).Select(c => c.Code).First();
        var bus = fixture.First.Services.GetRequiredService<IBus>();
        using var admin = fixture.First.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
        var outcomes = new List<string>();

        for (var round = 0; round < 8; round++)
        {
            // The three-tier units stand until mid-2025: both periods of 2020 to 2023.
            var period = $"{2020 + round / 2}-{(round % 2 == 0 ? "H1" : "Y")}";
            var forums = 10 + round;
            var due = fixture.Clock.GetUtcNow().AddMinutes(1);
            await bus.Publish(new DeadlinesChanged
            {
                Period = period, OccurredAt = fixture.Clock.GetUtcNow(),
                Deadlines = [new UnitDeadline { OrgUnitCode = commune, ReportsToCode = district, DueAt = due, PlanId = Guid.NewGuid(), Derived = false, Sequence = 1 }],
            });
            await Waiting.ForAsync(async () => await fixture.InDbAsync(db => db.Deadlines.AnyAsync(d => d.Period == period)), "the deadline copy");

            using var officer = fixture.First.CreateClientAs($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
            using var other = fixture.Second.CreateClientAs($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
            using var reviewer = fixture.Second.CreateClientAs($"bcd-{district}", AntqRoles.DistrictOfficer, district);
            await officer.PostJsonAsync($"/api/reports/{commune}/{period}/submit", new { values = new Dictionary<string, int> { ["FORUMS"] = forums } }).OkJsonAsync();

            // At once: the district returns it, the commune submits it again as soon as it can, and the deadline passes.
            var returned = reviewer.PostJsonAsync($"/api/reports/{commune}/{period}/return", new { reason = "Kiểm tra lại." });
            var resubmitted = Task.Run(async () =>
            {
                for (var attempt = 0; attempt < 40; attempt++)
                {
                    using var response = await other.PostAsync($"/api/reports/{commune}/{period}/submit", null);
                    if (response.StatusCode == HttpStatusCode.OK) return "resubmitted";
                    var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;
                    if (detail.Contains("khóa sổ", StringComparison.Ordinal)) return "refused: closed";
                    await Task.Delay(5);
                }

                return "never resubmitted";
            });
            await Task.Delay(round * 15);
            fixture.Clock.Advance(due - fixture.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
            var returnStatus = (await returned).StatusCode;
            var resubmission = await resubmitted;
            System.Text.Json.JsonElement? snapshot = null;
            await Waiting.ForAsync(async () =>
            {
                using var response = await admin.GetAsync($"/api/rollups/{district}/{period}/snapshot");
                if (response.IsSuccessStatusCode) snapshot = await response.ReadJsonAsync();
                return snapshot is not null;
            }, $"the closing of {period} at {district}");

            // The end state, whichever order things happened in.
            var report = await admin.GetAsync($"/api/reports/{commune}/{period}").OkJsonAsync();
            var status = report.GetProperty("status").GetString();
            var counts = status is "submitted" or "accepted";
            var child = snapshot!.Value.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("code").GetString() == commune);
            var frozen = child.GetProperty("frozen").GetBoolean();
            static decimal Forums(System.Text.Json.JsonElement values) =>
                values.TryGetProperty("FORUMS", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Object
                    ? v.GetProperty("value").ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetProperty("value").GetDecimal() : 0
                    : v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetDecimal() : 0;
            var live = await admin.GetAsync($"/api/rollups/{district}/{period}").OkJsonAsync();
            var draft = await admin.GetAsync($"/api/reports/{district}/{period}").OkJsonAsync();
            var what = $"round {round}: return {(int)returnStatus}, {resubmission}, report {status}, snapshot {child.GetProperty("standing").GetString()}{(frozen ? " frozen" : "")}";
            outcomes.Add(what);

            Assert.True(!frozen || counts, $"{what}: a report the closing froze was returned afterwards");
            Assert.Equal(frozen ? forums : 0, Forums(snapshot.Value.GetProperty("values")));
            Assert.Equal(counts ? forums : 0, Forums(live.GetProperty("values")));
            Assert.True((counts ? forums : 0) == Forums(draft.GetProperty("values")), $"{what}: the consolidated draft has {Forums(draft.GetProperty("values"))}");
        }

        // The rounds did not all take the same path (else the race was not exercised).
        Assert.True(outcomes.Distinct().Count() > 1, string.Join("\n", outcomes));
    }
}
