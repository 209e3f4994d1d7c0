using System.Collections.Concurrent;
using HdrHistogram;

namespace Antq.Bench;

/// <summary>The sizes of one run (<c>--quick</c> makes every part small, to check that it runs).</summary>
sealed record BenchSizes(int GatewaySeconds, double IngestStepSeconds, int IngestRunSeconds, int FreshnessProbes, int RecomputeRounds)
{
    public static readonly BenchSizes Full = new(20, 5, 20, 400, 3);
    public static readonly BenchSizes Quick = new(4, 2, 6, 60, 1);
}

/// <summary>
/// The platform as it runs in production — every service and the gateway in its own process (<see cref="PlatformProcesses"/>),
/// fresh databases and virtual host, the real unit lists of the whole country (three-tier and two-tier) and the 2025
/// lineage imported through the API — and, in one run, each measurement with its reference: gateway, ingest, freshness,
/// recompute (two-tier and three-tier), close; the memory of every process at the end. Load comes from this process:
/// wrk (closed loop) for the gateway, <see cref="OpenLoop"/> (fixed arrival rate, HdrHistogram) for ingest and freshness.
/// </summary>
sealed partial class PlatformBench(BenchSizes sizes, Action<object> emit, Action<string> log)
{
    const string Password = "Mat-khau-Do-kiem-2026";
    /// <summary>A rate is sustained only if its p99 is within this (and nothing failed, and ≥ 95 % of it was achieved).</summary>
    const double SustainedP99BoundMs = 100;
    readonly FullReport reports = new();

    PlatformProcesses platform = null!;
    PlatformApi api = null!;
    HttpClient http = null!;
    ReportClient client = null!;

    public async Task RunAsync()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var setup = Stopwatch.StartNew();
        await using (platform = await PlatformProcesses.StartAsync(new PlatformOptions
        {
            Label = "bench",
            SmtpPort = smtp.Port,
            KeepData = Environment.GetEnvironmentVariable("ANTQ_BENCH_KEEP") == "1",
            AdminPassword = Password,
            Settings = new()
            {
                // The load comes from one administrator's account; the per-user write and sign-in limits are for people.
                ["gateway"] = new() { ["Gateway:RateLimits:WritePermits"] = "100000000", ["Gateway:RateLimits:TokenPermitsPerUser"] = "10000" },
                // Production looks for due closings every 30 s; the close measurement wants the closing itself, not the wait.
                ["reporting"] = new() { ["Closing:PollInterval"] = "00:00:01" },
                // The close's overdue notices go at the deadline whatever the hour the bench runs (not held for the working
                // hour or past the night's quiet hours).
                ["notification"] = new() { ["Notification:Reminders:RemindAt"] = "", ["Notification:Reminders:QuietHours"] = "" },
            },
        }))
        {
            log($"platform up in {setup.Elapsed.TotalSeconds:F0} s (logs: {platform.LogDirectory}; processes: " +
                string.Join(", ", PlatformProcesses.Services.Select(s => $"{s.Name} {platform.ProcessIdOf(s.Name)}")) + ")");
            using (api = new PlatformApi(platform))
            using (http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                   { BaseAddress = new Uri(platform.Gateway), Timeout = TimeSpan.FromSeconds(60) })
            {
                client = new ReportClient(http, platform.AdminTokenAsync);
                await LoadCountryAsync();
                await Measure("gateway", GatewayAsync);
                var highest = 0.0;
                await Measure("ingest", async () => highest = await IngestAsync());
                await Measure("freshness", () => FreshnessAsync(Math.Max(2, highest * 0.5)));
                await SeedAsync();
                await Measure("recompute", () => RecomputeAsync("2026-H1", Country.TwoTier().Count, "two-tier (34 provinces)"), "recompute-two-tier");
                await Measure("recompute", () => RecomputeAsync("2024-Y", Country.ThreeTier().Count, "three-tier (63 provinces, 696 districts)"), "recompute-three-tier");
                await Measure("close", () => CloseAsync(smtp));
                foreach (var (name, resident, peak) in platform.Memory())
                    Memory($"{name} (own process)", resident, peak);
            }
        }
    }

    /// <summary>ANTQ_BENCH_ONLY=ingest,close runs only those measurements (while working on one of them).</summary>
    static bool Wanted(string name) =>
        Environment.GetEnvironmentVariable("ANTQ_BENCH_ONLY") is not { Length: > 0 } only || only.Split(',').Contains(name);

    async Task Measure(string name, Func<Task> measurement, string? part = null)
    {
        if (!Wanted(name) && (part is null || !Wanted(part))) return;
        log($"== {name}");
        try
        {
            await measurement();
        }
        catch (Exception ex)
        {
            log($"{name} failed: {ex}");
            emit(new { name, error = ex.GetBaseException().Message });
        }
    }

    void Memory(string process, double residentMb, double peakMb) =>
        Console.WriteLine("MEMORY " + JsonSerializer.Serialize(new { process, working_set_mb = residentMb, peak_working_set_mb = peakMb }));

    // ------------------------------------------------------------------ data
    readonly ConcurrentQueue<(string Code, string Period, int Seed)> ingestPool = new();
    readonly ConcurrentQueue<(string Code, string Period, int Seed)> backgroundPool = new();
    List<Commune> twoTier = [];
    List<Commune> threeTier = [];

    async Task LoadCountryAsync()
    {
        var watch = Stopwatch.StartNew();
        await api.ImportUnitsAsync(Country.ThreeTierFile, "2020-01-01");
        await api.ImportUnitsAsync(Country.TwoTierFile, "2025-07-01");
        await api.ImportMergesAsync(Country.MergesFile);
        var units = await Sql.ScalarAsync<long>(platform.ConnectionStringOf("plan"), "SELECT count(*) FROM org_units");
        foreach (var service in new[] { "reporting", "notification", "classification" })
        {
            await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(platform.ConnectionStringOf(service), "SELECT count(*) FROM unit_tree_versions") >= units,
                TimeSpan.FromMinutes(3), $"{service} has the {units} units");
        }

        twoTier = Country.Shuffled(Country.TwoTier());
        threeTier = Country.Shuffled(Country.ThreeTier());
        // Ingest takes three-tier communes of 2024-Y first (the recompute of 2024-Y needs all of them later anyway), then
        // two-tier ones of periods nothing else uses; the background load of the freshness measurement takes 2025-H1.
        foreach (var (c, i) in threeTier.Select((c, i) => (c, i))) ingestPool.Enqueue((c.Code, "2024-Y", i));
        foreach (var period in new[] { "2025-Y", "2027-H1", "2027-Y" })
            foreach (var (c, i) in twoTier.Select((c, i) => (c, i))) ingestPool.Enqueue((c.Code, period, i));
        foreach (var (c, i) in threeTier.Select((c, i) => (c, i))) backgroundPool.Enqueue((c.Code, "2025-H1", i));
        log($"{units} units (three-tier, two-tier, lineage) imported and copied to every service in {watch.Elapsed.TotalSeconds:F0} s");
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

}
