using System.Net;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>Sibling communes submitting at the same moment: the shared ancestors' cells lose no update and never deadlock.</summary>
[Collection(ReportingCollection.Name)]
public sealed class ConcurrencyTests(ReportingFixture fixture)
{
    static readonly Spec Spec = Spec.Catalogue;

    [Fact]
    public async Task Sixty_four_communes_submitting_at_once_give_exact_sums_and_a_recomputation_finds_the_same_cells()
    {
        const string province = "96"; // Cà Mau: 64 communes
        const string period = "2032-H1";
        var at = new DateOnly(2032, 6, 14);
        var communes = fixture.Units.ChildrenOf(province, at).Select(c => c.Code).ToList();
        Assert.Equal(64, communes.Count);
        var random = new Random(32);
        var counted = communes.ToDictionary(c => c, _ => Spec.RandomValues("H1", random));
        var clients = communes.ToDictionary(c => c, c => fixture.As($"cb-{c}", AntqRoles.CommuneOfficer, c));
        await Parallel.ForEachAsync(communes, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (code, _) =>
            await clients[code].PutJsonAsync($"/api/reports/{code}/{period}", new { values = Spec.Body(counted[code]) }).OkJsonAsync());

        var start = new TaskCompletionSource();
        var submissions = communes.Select(async code =>
        {
            await start.Task;
            using var response = await clients[code].PostAsync($"/api/reports/{code}/{period}/submit", null);
            return (code, response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(submissions);
        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.OK, $"{r.code}: {(int)r.StatusCode} {r.Item3}"));

        foreach (var unit in new[] { province, "BCA" })
        {
            var rollup = await fixture.Admin.GetAsync($"/api/rollups/{unit}/{period}").OkJsonAsync();
            Spec.AssertRollup(Spec.Expected("H1", unit, at, fixture.Units, counted), rollup, unit);
        }

        // Half of them returned at once by the province office.
        using var officer = fixture.As("pv01-camau", AntqRoles.ProvinceOfficer, province);
        var returned = communes.Where((_, i) => i % 2 == 0).ToList();
        var returns = await Task.WhenAll(returned.Select(async code =>
        {
            using var response = await officer.PostJsonAsync($"/api/reports/{code}/{period}/return", new { reason = "Kiểm tra lại số liệu." });
            return response.StatusCode;
        }));
        Assert.All(returns, s => Assert.Equal(HttpStatusCode.OK, s));
        foreach (var code in returned) counted.Remove(code);
        var after = await fixture.Admin.GetAsync($"/api/rollups/{province}/{period}").OkJsonAsync();
        Spec.AssertRollup(Spec.Expected("H1", province, at, fixture.Units, counted), after, province);

        // The live cells equal a rebuild from the stored reports.
        var live = await CellsAsync(period);
        var recomputed = await fixture.Admin.PostJsonAsync($"/api/rollups/{period}/recompute").OkJsonAsync();
        Assert.Equal(32, recomputed.GetProperty("reports").GetInt32());
        var rebuilt = await CellsAsync(period);
        Assert.Equal(rebuilt.Where(c => c.Value.Reports > 0).OrderBy(c => c.Key), live.Where(c => c.Value.Reports > 0).OrderBy(c => c.Key));
        Assert.True(rebuilt.Count > 100, $"only {rebuilt.Count} cells");

        // A rebuild repairs what went wrong: a wrong sum, a lost cell, a cell nothing reaches, a report with a wrong path.
        var kept = counted.Keys.Order(StringComparer.Ordinal).ToList();
        string[] wrongPath = ["BCA", "01", kept[1]];
        await fixture.InDbAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"UPDATE rollup_cells SET sums[1] = sums[1] + 1000, reports[1] = reports[1] + 7 WHERE period = {period} AND org_unit_code = {province}");
            await db.Database.ExecuteSqlAsync($"DELETE FROM rollup_cells WHERE period = {period} AND org_unit_code = {kept[0]}");
            await db.Database.ExecuteSqlAsync($"INSERT INTO rollup_cells (org_unit_code, period, shard, indicators, sums, reports) VALUES ('99999', {period}, 0, ARRAY['FORUMS'], ARRAY[5], ARRAY[1])");
            return await db.Database.ExecuteSqlAsync($"UPDATE reports SET rollup_path = {wrongPath} WHERE period = {period} AND org_unit_code = {kept[1]}");
        });
        Assert.NotEqual(rebuilt.OrderBy(c => c.Key), (await CellsAsync(period)).OrderBy(c => c.Key));
        var repaired = await fixture.Admin.PostJsonAsync($"/api/rollups/{period}/recompute").OkJsonAsync();
        Assert.Equal(32, repaired.GetProperty("reports").GetInt32());
        Assert.Equal(rebuilt.OrderBy(c => c.Key), (await CellsAsync(period)).OrderBy(c => c.Key));
        // And from nothing: every cell of the period gone.
        await fixture.InDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM rollup_cells WHERE period = {period}"));
        Assert.Empty(await CellsAsync(period));
        await fixture.Admin.PostJsonAsync($"/api/rollups/{period}/recompute").OkJsonAsync();
        Assert.Equal(rebuilt.OrderBy(c => c.Key), (await CellsAsync(period)).OrderBy(c => c.Key));
        // Each rebuilt row keeps its indicators in "C" order (a submission's upsert merges into them in that order).
        var unordered = await fixture.InDbAsync(db => db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM rollup_cells
            WHERE period = {period} AND indicators <> (SELECT array_agg(i ORDER BY i COLLATE "C") FROM unnest(indicators) AS i)
            """).SingleAsync());
        Assert.Equal(0, unordered);
        var path = await fixture.InDbAsync(db => db.Reports.Where(r => r.Period == period && r.OrgUnitCode == kept[1]).Select(r => r.RollupPath).SingleAsync());
        Assert.Equal(["BCA", province, kept[1]], path);
        foreach (var unit in new[] { province, "BCA", "01" })
        {
            var rollup = await fixture.Admin.GetAsync($"/api/rollups/{unit}/{period}").OkJsonAsync();
            Spec.AssertRollup(Spec.Expected("H1", unit, at, fixture.Units, counted), rollup, unit);
        }

        foreach (var client in clients.Values) client.Dispose();
    }

    [Fact]
    public async Task The_same_report_submitted_many_times_at_once_counts_once()
    {
        const string period = "2032-Y";
        const string commune = "00004";
        using var client = fixture.As("cb-00004", AntqRoles.CommuneOfficer, commune);
        await client.PutJsonAsync($"/api/reports/{commune}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 3 } }).OkJsonAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await client.PostAsync($"/api/reports/{commune}/{period}/submit", null);
            return response.StatusCode;
        }));
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.True(s is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed, s.ToString()));
        var rollup = await fixture.Admin.GetAsync($"/api/rollups/01/{period}").OkJsonAsync();
        var forums = rollup.GetProperty("values").GetProperty("FORUMS");
        Assert.Equal(3, forums.GetProperty("value").GetDecimal());
        Assert.Equal(1, forums.GetProperty("reports").GetInt32());
    }

    Task<Dictionary<(string, string), (decimal Sum, int Reports)>> CellsAsync(string period) =>
        fixture.InDbAsync(async db => (await db.RollupCellShards.AsNoTracking().Where(c => c.Period == period).ToListAsync())
            .SelectMany(c => c.Indicators.Select((indicator, i) => (c.OrgUnitCode, Indicator: indicator, Sum: c.Sums[i], Reports: c.Reports[i])))
            .GroupBy(c => (c.OrgUnitCode, c.Indicator)).ToDictionary(g => g.Key, g => (g.Sum(c => c.Sum), g.Sum(c => c.Reports))));
}
