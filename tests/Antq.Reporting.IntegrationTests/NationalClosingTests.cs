using System.Diagnostics;
using System.Text.Json;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// The national six-month period of the two-tier era: 3,321 communes under 34 provinces, most of them reported. The
/// communes' deadline closes all 34 provinces in seconds. The measured time is printed (dotnet test --logger
/// "console;verbosity=detailed").
/// </summary>
public sealed class NationalClosingTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string Period = "2026-H1";
    static readonly DateOnly At = new(2026, 6, 14);
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    ClockedReportingService service = null!;
    readonly UnitLists units = UnitLists.Load();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("national");
        virtualHost = await TestVirtualHost.CreateAsync("national");
        // The job is off: the test runs the same sweep itself, to time it.
        service = new ClockedReportingService(database, virtualHost, TimeProvider.System, closingJob: false);
        _ = service.Server;
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Closing_the_national_period_of_3321_communes_under_34_provinces_takes_seconds()
    {
        var provinces = units.ChildrenOf("BCA", At).Select(p => p.Code).ToList();
        var communes = provinces.SelectMany(p => units.ChildrenOf(p, At).Select(c => (Code: c.Code, Province: p))).ToList();
        Assert.Equal(34, provinces.Count);
        Assert.Equal(3321, communes.Count);
        var random = new Random(2026);
        var reported = communes.Where((_, i) => i % 10 != 0).ToList(); // one commune in ten is missing
        var values = reported.ToDictionary(c => c.Code, _ => Spec.Catalogue.RandomValues("H1", random));
        var due = DateTimeOffset.UtcNow.AddMinutes(-1);

        await using (var scope = service.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
            await units.InsertAsync(db);
            await SeedAsync(db, communes, reported, values, due);
        }

        // The cells from the stored reports, as after live submissions.
        using var admin = service.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
        var recomputed = await admin.PostJsonAsync($"/api/rollups/{Period}/recompute").OkJsonAsync();
        Assert.Equal(reported.Count, recomputed.GetProperty("reports").GetInt32());

        var started = Stopwatch.GetTimestamp();
        var closed = await PeriodClosings.CloseDueAsync(service.Services, service.Services.GetRequiredService<IOptions<ClosingOptions>>().Value,
            service.Services.GetRequiredService<ILoggerFactory>().CreateLogger("national"), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"Closed {closed} provinces over {communes.Count} communes ({reported.Count} reported) in {elapsed.TotalMilliseconds:N0} ms");

        Assert.Equal(34, closed);
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"closing the national period took {elapsed.TotalSeconds:N1} s");
        var closings = await InDbAsync(db => db.Closings.Where(c => c.Period == Period).ToListAsync());
        Assert.Equal(communes.Count, closings.Sum(c => c.Expected));
        Assert.Equal(communes.Count - reported.Count, closings.Sum(c => c.Missing));
        Assert.Equal(reported.Count, closings.Sum(c => c.OnTime));
        Assert.Equal(communes.Except(reported).Select(c => c.Code).Order(StringComparer.Ordinal), closings.SelectMany(c => c.MissingCodes).Order(StringComparer.Ordinal));
        Assert.Equal(34, await InDbAsync(db => db.Reports.CountAsync(r => r.Period == Period && r.Consolidated)));

        // A province's snapshot holds its roll-up: the sum of its reported communes.
        var hanoi = await admin.GetAsync($"/api/rollups/01/{Period}/snapshot").OkJsonAsync();
        var expected = reported.Where(c => c.Province == "01" && values[c.Code].ContainsKey("FORUMS")).Sum(c => values[c.Code]["FORUMS"]);
        Assert.Equal(expected, hanoi.GetProperty("values").GetProperty("FORUMS").GetProperty("value").GetDecimal());

        // A second sweep finds nothing left to close.
        Assert.Equal(0, await PeriodClosings.CloseDueAsync(service.Services, new ClosingOptions(),
            service.Services.GetRequiredService<ILoggerFactory>().CreateLogger("national"), CancellationToken.None));
    }

    async Task<T> InDbAsync<T>(Func<ReportingDbContext, Task<T>> action)
    {
        await using var scope = service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    /// <summary>Deadlines for every commune and the submitted reports of most of them, written in bulk as the consumers and the API would leave them.</summary>
    static async Task SeedAsync(ReportingDbContext db, List<(string Code, string Province)> communes, List<(string Code, string Province)> reported,
        Dictionary<string, Dictionary<string, decimal>> values, DateTimeOffset due)
    {
        var codes = communes.Select(c => c.Code).ToArray();
        var parents = communes.Select(c => c.Province).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO unit_deadlines (org_unit_code, period, reports_to_code, due_at, plan_id, derived, sequence)
            SELECT d.code, {Period}, d.parent, {due}, NULL, false, 1 FROM unnest({codes}::text[], {parents}::text[]) AS d(code, parent)
            """);

        var ids = reported.Select(_ => Guid.NewGuid()).ToArray();
        var reportCodes = reported.Select(c => c.Code).ToArray();
        var narratives = reported.Select(c => JsonSerializer.Serialize(new Dictionary<string, string> { ["KET_QUA"] = $"Kết quả của xã {c.Code}." })).ToArray();
        var submittedAt = due.AddDays(-2);
        var version = Catalogues.Default.Version;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reports (id, org_unit_code, period, catalogue_version, status, version, narrative, created_at, created_by, updated_at, updated_by,
                                 submitted_at, submitted_by, due_at, on_time, rollup_path, consolidated)
            SELECT r.id, r.code, {Period}, {version}, 'Submitted', 2, r.narrative::jsonb, {submittedAt}, 'seed', {submittedAt}, 'seed',
                   {submittedAt}, 'seed', {due}, true, ARRAY[]::text[], false
            FROM unnest({ids}::uuid[], {reportCodes}::text[], {narratives}::text[]) AS r(id, code, narrative)
            """);
        var valueIds = new List<Guid>();
        var indicators = new List<string>();
        var numbers = new List<decimal>();
        for (var i = 0; i < reported.Count; i++)
        {
            foreach (var (indicator, value) in values[reported[i].Code])
            {
                valueIds.Add(ids[i]);
                indicators.Add(indicator);
                numbers.Add(value);
            }
        }

        var valueIdArray = valueIds.ToArray();
        var indicatorArray = indicators.ToArray();
        var numberArray = numbers.ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO report_values (report_id, indicator, value)
            SELECT * FROM unnest({valueIdArray}::uuid[], {indicatorArray}::text[], {numberArray}::numeric[])
            """);
    }
}
