using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Antq.Bench;

/// <summary>
/// recompute: the Reporting service in process on a fresh database with the whole country's two-tier list
/// (34 provinces, 3,321 communes) in its tree copy; every commune saves and submits a report with random values
/// (through the service's HTTP API); then POST /api/rollups/{period}/recompute (end to end, over HTTP) against one
/// hand-written SQL statement that builds the same cells (commune, province, ministry × indicator: sum and count) with
/// GROUP BY GROUPING SETS into a table. Each is run `rounds` times after one warm-up; the median is reported.
/// </summary>
static class RecomputeBench
{
    const string Period = "2026-H1";

    public static async Task<object> RunAsync(int rounds, int concurrency)
    {
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ANTQ_REPORTING_API",
            Path.Combine(TestEnvironment.Root, "services", "Reporting", "Antq.Reporting.Api"));
        await using var database = await TestDatabase.CreateAsync("bench-recompute");
        await using var vhost = await TestVirtualHost.CreateAsync("bench-recompute");
        await using var service = new ServiceFactory<ReportingDbContext>("reporting", database, vhost);
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        service.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error";
        _ = service.Server;

        var communes = await LoadTreeAsync(service);
        var client = service.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(3);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("bench", AntqRoles.Admin, "BCA", TimeSpan.FromHours(4)));

        // Every commune submits, with random values (seeded, so runs compare).
        var seeding = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (int i; (i = Interlocked.Increment(ref next)) < communes.Count && seeding.Elapsed < TimeSpan.FromMinutes(4);)
            {
                var tips = random.Next(0, 500); // valuable tips are some of the tips (a rule of the catalogue)
                var body = JsonSerializer.Serialize(new { values = new Dictionary<string, object> { ["CONF_BRIEFINGS"] = random.Next(0, 50), ["TIPS_TOTAL"] = tips, ["TIPS_VALUABLE"] = random.Next(0, tips + 1), ["PLAN_ISSUED"] = random.Next(2) == 0, ["HOTSPOTS"] = random.Next(0, 10) } });
                using (var save = await client.PutAsync($"/api/reports/{communes[i]}/{Period}", new StringContent(body, Encoding.UTF8, "application/json")))
                    save.EnsureSuccessStatusCode();
                using var submit = await client.PostAsync($"/api/reports/{communes[i]}/{Period}/submit", null);
                if (!submit.IsSuccessStatusCode) throw new InvalidOperationException($"submit {communes[i]}: {(int)submit.StatusCode} {await submit.Content.ReadAsStringAsync()}");
            }
        })));
        var submitted = Math.Min(next, communes.Count);
        Console.WriteLine($"seeded {submitted} submitted commune reports in {seeding.Elapsed.TotalSeconds:F1} s");

        var ours = new List<double>();
        var serverMs = new List<double>();
        int cells = 0, reports = 0;
        for (var round = 0; round <= rounds; round++)
        {
            var t = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync($"/api/rollups/{Period}/recompute", null);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var elapsed = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            cells = doc.RootElement.GetProperty("cells").GetInt32();
            reports = doc.RootElement.GetProperty("reports").GetInt32();
            if (round == 0) continue; // warm-up
            ours.Add(elapsed);
            serverMs.Add(doc.RootElement.GetProperty("elapsedMs").GetDouble());
        }

        // The reference: the same cells from the same rows in one statement, written to a table.
        await using var sql = new NpgsqlConnection(database.ConnectionString);
        await sql.OpenAsync();
        var reference = new List<double>();
        long referenceCells = 0;
        for (var round = 0; round <= rounds; round++)
        {
            await using (var drop = new NpgsqlCommand("DROP TABLE IF EXISTS bench_cells", sql)) await drop.ExecuteNonQueryAsync();
            var t = Stopwatch.GetTimestamp();
            await using (var command = new NpgsqlCommand("""
                CREATE TABLE bench_cells AS
                SELECT coalesce(c.code, p.code, 'BCA') AS unit, v.indicator, sum(v.value) AS sum, count(*) AS reports
                FROM reports r
                JOIN report_values v ON v.report_id = r.id AND v.value IS NOT NULL
                JOIN unit_tree_versions c ON c.code = r.org_unit_code AND c.valid_to IS NULL
                JOIN unit_tree_versions p ON p.code = c.parent_code AND p.valid_to IS NULL
                WHERE r.period = @period AND r.status IN ('Submitted', 'Accepted') AND NOT r.consolidated
                GROUP BY GROUPING SETS ((c.code, v.indicator), (p.code, v.indicator), (v.indicator))
                """, sql))
            {
                command.Parameters.AddWithValue("period", Period);
                await command.ExecuteNonQueryAsync();
            }

            var elapsed = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            await using (var count = new NpgsqlCommand("SELECT count(*) FROM bench_cells", sql)) referenceCells = (long)(await count.ExecuteScalarAsync())!;
            if (round > 0) reference.Add(elapsed);
        }

        var median = Median(ours);
        var referenceMedian = Median(reference);
        Console.WriteLine($"recompute over HTTP: {string.Join(", ", ours.Select(o => o.ToString("F0")))} ms (server's own elapsedMs {string.Join(", ", serverMs)}); {reports} reports, {cells} cells");
        Console.WriteLine($"SQL GROUP BY GROUPING SETS into a table: {string.Join(", ", reference.Select(o => o.ToString("F0")))} ms; {referenceCells} cells");
        return new
        {
            name = "recompute",
            ours = Math.Round(median / 1000, 3),
            reference = Math.Round(referenceMedian / 1000, 3),
            ratio = Math.Round(median / referenceMedian, 2),
            p50_ms = Math.Round(median, 1),
            max_ms = Math.Round(ours.Max(), 1),
            seconds = Math.Round(median / 1000, 3),
            units = $"seconds, median of {rounds}, whole country two-tier ({reports} submitted commune reports, {cells} cells; SQL made {referenceCells}); ratio = ours/SQL (lower is better)",
            server_elapsed_ms_median = Median(serverMs),
        };
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    static async Task<List<string>> LoadTreeAsync(ServiceFactory<ReportingDbContext> service)
    {
        var codes = new List<string> { "BCA" };
        var names = new List<string> { "Bộ Công an" };
        var kinds = new List<string> { "Ministry" };
        var parents = new List<string?> { null };
        var communes = new List<string>();
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json"))))
        {
            foreach (var p in doc.RootElement.EnumerateArray())
            {
                var code = p.GetProperty("Code").GetString()!;
                codes.Add(code); names.Add(p.GetProperty("FullName").GetString()!); kinds.Add("Province"); parents.Add("BCA");
                foreach (var w in p.GetProperty("Wards").EnumerateArray())
                {
                    var c = w.GetProperty("Code").GetString()!;
                    codes.Add(c); names.Add(w.GetProperty("FullName").GetString()!); kinds.Add("Commune"); parents.Add(code);
                    communes.Add(c);
                }
            }
        }

        await using var scope = service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var ids = codes.Select(_ => Guid.NewGuid()).ToArray();
        var froms = codes.Select(_ => new DateOnly(2025, 7, 1)).ToArray();
        var tos = codes.Select(_ => (DateOnly?)null).ToArray();
        var sequences = codes.Select((_, i) => (long)i + 1).ToArray();
        string[] codeArray = [.. codes], nameArray = [.. names], kindArray = [.. kinds];
        string?[] parentArray = [.. parents];
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO unit_tree_versions (id, code, name, kind, parent_code, valid_from, valid_to, change_sequence)
            SELECT * FROM unnest({ids}, {codeArray}, {nameArray}, {kindArray}, {parentArray}, {froms}, {tos}, {sequences})
            """);
        return communes;
    }
}
