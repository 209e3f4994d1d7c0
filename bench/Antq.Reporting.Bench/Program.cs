// Measures how long after a submission's 2xx the province roll-up shows it (median and p99), with the Reporting
// service in process on a fresh database and virtual host of the local PostgreSQL and RabbitMQ, the real two-tier list
// in its tree copy, and optionally background load from other provinces.
//
//   dotnet run -c Release --project bench/Antq.Reporting.Bench -- [--count 1000] [--load 4]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

var count = Option("--count", 1000);
var load = Option("--load", 0);
const string period = "2026-H1";

// WebApplicationFactory looks for the service's content root beside a test project; tell it where the service is.
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ANTQ_REPORTING_API",
    Path.Combine(TestEnvironment.Root, "services", "Reporting", "Antq.Reporting.Api"));
await using var database = await TestDatabase.CreateAsync("bench");
await using var vhost = await TestVirtualHost.CreateAsync("bench");
await using var service = new ServiceFactory<ReportingDbContext>("reporting", database, vhost);
service.Settings["Logging:LogLevel:Default"] = "Warning";
service.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error";
_ = service.Server;

// The two-tier list as the tree copy (from 2025-07-01).
var provinces = new List<(string Code, List<string> Communes)>();
using (var doc = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json"))))
{
    var codes = new List<string> { "BCA" };
    var names = new List<string> { "Bộ Công an" };
    var kinds = new List<string> { "Ministry" };
    var parents = new List<string?> { null };
    foreach (var p in doc.RootElement.EnumerateArray())
    {
        var code = p.GetProperty("Code").GetString()!;
        codes.Add(code); names.Add(p.GetProperty("FullName").GetString()!); kinds.Add("Province"); parents.Add("BCA");
        var communes = new List<string>();
        foreach (var w in p.GetProperty("Wards").EnumerateArray())
        {
            var c = w.GetProperty("Code").GetString()!;
            codes.Add(c); names.Add(w.GetProperty("FullName").GetString()!); kinds.Add("Commune"); parents.Add(code);
            communes.Add(c);
        }

        provinces.Add((code, communes));
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
}

// Measured communes: whole provinces from the start of the list until `count`; the rest is background load.
var measured = new List<(string Province, string Commune)>();
var background = new List<string>();
foreach (var (province, communes) in provinces)
{
    if (measured.Count < count) measured.AddRange(communes.Select(c => (province, c)));
    else background.AddRange(communes);
}

measured = measured.Take(count).ToList();
if (measured.Count < count) Console.WriteLine($"only {measured.Count} communes available");

var client = service.CreateClient();
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("bench", AntqRoles.Admin, "BCA", TimeSpan.FromHours(4)));
var body = new StringContent("""{"values": {"CONF_BRIEFINGS": 3, "TIPS_TOTAL": 10, "TIPS_VALUABLE": 4, "PLAN_ISSUED": true, "HOTSPOTS": 2}}""", Encoding.UTF8, "application/json");
var bodyText = await body.ReadAsStringAsync();

async Task<TimeSpan> SubmitAsync(string commune)
{
    using (var save = await client.PutAsync($"/api/reports/{commune}/{period}", new StringContent(bodyText, Encoding.UTF8, "application/json")))
        save.EnsureSuccessStatusCode();
    var started = Stopwatch.GetTimestamp();
    using var submit = await client.PostAsync($"/api/reports/{commune}/{period}/submit", null);
    submit.EnsureSuccessStatusCode();
    return Stopwatch.GetElapsedTime(started);
}

// Warm up (JIT, pools) on one background commune.
if (background.Count > 0) { await SubmitAsync(background[^1]); background.RemoveAt(background.Count - 1); }

using var stop = new CancellationTokenSource();
var loadTasks = Enumerable.Range(0, load).Select(worker => Task.Run(async () =>
{
    var done = 0;
    for (var i = worker; i < background.Count && !stop.IsCancellationRequested; i += load, done++) await SubmitAsync(background[i]);
    return done;
})).ToList();

var benchStarted = Stopwatch.GetTimestamp();
var freshness = new List<double>();
var submitLatency = new List<double>();
var polls = new List<int>();
var perProvince = new Dictionary<string, int>();
foreach (var (province, commune) in measured)
{
    submitLatency.Add((await SubmitAsync(commune)).TotalMilliseconds);
    var visibleFrom = Stopwatch.GetTimestamp(); // the 2xx of the submission has just arrived
    var expected = perProvince[province] = perProvince.GetValueOrDefault(province) + 1;
    for (var attempt = 1; ; attempt++)
    {
        using var response = await client.GetAsync($"/api/rollups/{province}/{period}");
        using var rollup = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var reports = rollup.RootElement.GetProperty("values").GetProperty("CONF_BRIEFINGS").GetProperty("reports").GetInt32();
        if (reports >= expected)
        {
            freshness.Add(Stopwatch.GetElapsedTime(visibleFrom).TotalMilliseconds);
            polls.Add(attempt);
            break;
        }

        if (Stopwatch.GetElapsedTime(visibleFrom) > TimeSpan.FromSeconds(30)) throw new InvalidOperationException($"{commune} never showed in {province}");
    }
}

stop.Cancel();
var background_done = (await Task.WhenAll(loadTasks)).Sum();

Console.WriteLine($"submissions measured: {freshness.Count} (communes of {perProvince.Count} provinces), background load: {load} workers, {background_done} other submissions meanwhile");
Console.WriteLine($"freshness (2xx of submit -> province roll-up shows it): median {Percentile(freshness, 50):F2} ms, p99 {Percentile(freshness, 99):F2} ms, max {freshness.Max():F2} ms; first read showed it in {polls.Count(p => p == 1)} of {polls.Count}");
Console.WriteLine($"submit latency (request -> 2xx, roll-up included): median {Percentile(submitLatency, 50):F2} ms, p99 {Percentile(submitLatency, 99):F2} ms");
Console.WriteLine($"submission to visible (request start -> roll-up shows it): median {Percentile(submitLatency.Zip(freshness, (a, b) => a + b).ToList(), 50):F2} ms, p99 {Percentile(submitLatency.Zip(freshness, (a, b) => a + b).ToList(), 99):F2} ms");

var whole = submitLatency.Zip(freshness, (a, b) => a + b).ToList();
Console.WriteLine("RESULT " + JsonSerializer.Serialize(new
{
    name = "freshness",
    ours = Math.Round(Percentile(freshness, 50), 3),
    p50_ms = Math.Round(Percentile(freshness, 50), 3),
    p99_ms = Math.Round(Percentile(freshness, 99), 3),
    max_ms = Math.Round(freshness.Max(), 3),
    seconds = Math.Round(Stopwatch.GetElapsedTime(benchStarted).TotalSeconds, 1),
    units = $"ms from a submission's 2xx until GET of the province roll-up shows it ({freshness.Count} submissions, {load} background workers, {background_done} background submissions)",
    submit_p50_ms = Math.Round(Percentile(submitLatency, 50), 3),
    submit_p99_ms = Math.Round(Percentile(submitLatency, 99), 3),
    request_to_visible_p50_ms = Math.Round(Percentile(whole, 50), 3),
    request_to_visible_p99_ms = Math.Round(Percentile(whole, 99), 3),
    first_read_showed_it = polls.Count(p => p == 1),
}));
using (var self = Process.GetCurrentProcess())
{
    Console.WriteLine("MEMORY " + JsonSerializer.Serialize(new
    {
        process = "Antq.Reporting.Bench (Reporting service and its client in one process)",
        working_set_mb = Math.Round(self.WorkingSet64 / 1048576.0, 1),
        peak_working_set_mb = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
        managed_heap_mb = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
    }));
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
