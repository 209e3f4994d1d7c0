using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Antq.Testing;
using Antq.Testing.Load;
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
sealed class PlatformBench(BenchSizes sizes, Action<object> emit, Action<string> log)
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

    // ------------------------------------------------------------------ gateway
    async Task GatewayAsync()
    {
        if (!Wrk.Available) throw new InvalidOperationException("wrk is not installed (deploy/antq bench installs it from Debian's packages)");
        const string path = "api/indicators?period=2026-H1";
        var direct = platform.AddressOf("reporting") + path;
        var through = platform.Gateway + path;
        var token = await platform.AdminTokenAsync();

        // Beside the reference of the issue (the service called directly), YARP alone in front of the same service.
        var proxyPort = FreePorts.Next();
        using var proxy = StartReference("bare-proxy", "--port", proxyPort.ToString(CultureInfo.InvariantCulture), "--destination", platform.AddressOf("reporting"));
        try
        {
            var bareProxy = $"http://127.0.0.1:{proxyPort}/" + path;
            using (var probe = new HttpClient())
            {
                probe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                await Eventually.UntilAsync(async () =>
                {
                    try { using var r = await probe.GetAsync(bareProxy); return r.IsSuccessStatusCode; }
                    catch (HttpRequestException) { return false; }
                }, TimeSpan.FromSeconds(60), "the bare proxy answers");
            }

            string[] targets = [direct, through, bareProxy];
            foreach (var target in targets) await Wrk.RunAsync(target, token, 16, 2, 2); // warm-up of every path

            // Throughput: the paths take turns, twice each.
            var half = Math.Max(2, sizes.GatewaySeconds / 2);
            var loaded = targets.ToDictionary(t => t, _ => new List<WrkResult>());
            // Where each path's requests spend CPU: the gateway, the bare proxy, the service behind them, wrk, the machine.
            var cpu = targets.ToDictionary(t => t, _ => new MachineCpu.Accumulator());
            Dictionary<string, double> ReadCpu()
            {
                var all = MachineCpu.Read(platform);
                var read = all.Where(c => c.Key is "gateway" or "reporting" or "postgresql" or "machine").ToDictionary();
                read["bare proxy"] = proxy.HasExited ? 0 : PlatformProcesses.ProcessCpuSeconds(proxy.Id);
                read["wrk"] = MachineCpu.ReapedChildren();
                return read;
            }

            for (var turn = 0; turn < 2; turn++)
            {
                foreach (var target in targets)
                {
                    var before = ReadCpu();
                    var result = await Wrk.RunAsync(target, token, 16, 2, half);
                    cpu[target].Add(before, ReadCpu(), result.Requests);
                    loaded[target].Add(result);
                }
            }

            var cpuPerRequest = new Dictionary<string, Dictionary<string, double>>
            {
                ["direct"] = cpu[direct].PerOperation(), ["gateway"] = cpu[through].PerOperation(), ["bare proxy"] = cpu[bareProxy].PerOperation(),
            };
            foreach (var (route, perRequest) in cpuPerRequest)
                log($"CPU ms per request, {route}: {string.Join(", ", perRequest.Select(c => $"{c.Key} {c.Value}"))}");
            var d = WrkResult.Merge(loaded[direct][0], loaded[direct][1]);
            var g = WrkResult.Merge(loaded[through][0], loaded[through][1]);
            var y = WrkResult.Merge(loaded[bareProxy][0], loaded[bareProxy][1]);
            log($"direct : {d}\ngateway: {g}\nbare proxy: {y}");

            // The hop itself: one request at a time, so that no queue hides it. The machine is shared and its speed
            // drifts over seconds, so the paths take turns in short rounds (direct, gateway, bare proxy, direct, …) and
            // each proxied round is set against the mean of the direct rounds on either side of it; the added latency is
            // the median of those differences.
            var rounds = Math.Max(2, sizes.GatewaySeconds / 4);
            var directRounds = new List<WrkResult> { await Wrk.RunAsync(direct, token, 1, 1, 2) };
            var gatewayRounds = new List<WrkResult>();
            var proxyRounds = new List<WrkResult>();
            for (var round = 0; round < rounds; round++)
            {
                gatewayRounds.Add(await Wrk.RunAsync(through, token, 1, 1, 2));
                proxyRounds.Add(await Wrk.RunAsync(bareProxy, token, 1, 1, 2));
                directRounds.Add(await Wrk.RunAsync(direct, token, 1, 1, 2));
            }

            double Added(List<WrkResult> proxied, Func<WrkResult, double> pick) => Median(proxied.Select((r, i) =>
                pick(r) - (pick(directRounds[i]) + pick(directRounds[i + 1])) / 2));
            string P50s(List<WrkResult> results) => string.Join(" ", results.Select(r => r.P50Ms.ToString("F3", CultureInfo.InvariantCulture)));
            var addedP50 = Added(gatewayRounds, r => r.P50Ms);
            var proxyAddedP50 = Added(proxyRounds, r => r.P50Ms);
            log($"one at a time, {rounds} rounds: direct p50 {P50s(directRounds)}; gateway p50 {P50s(gatewayRounds)}; bare proxy p50 {P50s(proxyRounds)}; "
                + $"added p50 (median): gateway {addedP50:F3} ms, bare proxy {proxyAddedP50:F3} ms");
            emit(new
            {
                name = "gateway",
                ours = Math.Round(g.PerSecond, 1),
                reference = Math.Round(d.PerSecond, 1),
                ratio = Math.Round(g.PerSecond / d.PerSecond, 3),
                p50_ms = Math.Round(g.P50Ms, 3),
                p99_ms = Math.Round(g.P99Ms, 3),
                max_ms = Math.Round(g.MaxMs, 3),
                seconds = Math.Round(g.Seconds + d.Seconds, 1),
                units = "requests/s, wrk closed loop (2 threads, 16 connections), authenticated GET /api/indicators?period=2026-H1 through the gateway process vs straight to the Reporting process; p50/p99 are request-weighted means of two turns",
                reference_p50_ms = Math.Round(d.P50Ms, 3),
                reference_p99_ms = Math.Round(d.P99Ms, 3),
                errors = g.Errors + d.Errors + y.Errors,
                added_p50_ms_one_at_a_time = Math.Round(addedP50, 3),
                added_p99_ms_one_at_a_time = Math.Round(Added(gatewayRounds, r => r.P99Ms), 3),
                one_at_a_time_rounds = rounds,
                one_at_a_time_direct_p50_ms = Math.Round(Median(directRounds.Select(r => r.P50Ms)), 3),
                one_at_a_time_gateway_p50_ms = Math.Round(Median(gatewayRounds.Select(r => r.P50Ms)), 3),
                bare_proxy_per_second = Math.Round(y.PerSecond, 1),
                bare_proxy_ratio = Math.Round(y.PerSecond / d.PerSecond, 3),
                bare_proxy_added_p50_ms_one_at_a_time = Math.Round(proxyAddedP50, 3),
                bare_proxy_added_p99_ms_one_at_a_time = Math.Round(Added(proxyRounds, r => r.P99Ms), 3),
                cpu_ms_per_request = cpuPerRequest,
            });
        }
        finally
        {
            proxy.Kill(entireProcessTree: true);
        }
    }

    // ------------------------------------------------------------------ ingest
    async Task<double> IngestAsync()
    {
        // One request per report, as the reference takes one: the form and the submission together (POST …/submit
        // with the body). The portal's way — save, then submit — is two requests through the gateway for the same work.
        async Task<bool> Ours(long _)
        {
            if (!ingestPool.TryDequeue(out var next)) return false;
            return await client.SubmitInOneStepAsync(next.Code, next.Period, reports.Body(next.Period, next.Seed));
        }

        // The reference in its own process, on a database of its own on the same PostgreSQL, up from the start: the
        // two take turns, round by round, through the whole measurement.
        await using var bareDb = await TestDatabase.CreateAsync("bench-bare");
        var port = FreePorts.Next();
        using var bare = StartReference("bare", "--port", port.ToString(CultureInfo.InvariantCulture), "--connection", bareDb.ConnectionString);
        try
        {
            using var bareHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await Eventually.UntilAsync(async () =>
            {
                try { using var r = await bareHttp.GetAsync("health"); return r.IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, TimeSpan.FromSeconds(60), "the bare endpoint answers");
            long sequence = 0;
            async Task<bool> Bare(long _)
            {
                var n = Interlocked.Increment(ref sequence);
                using var body = new StringContent(reports.Body("2024-Y", (int)(n % 10_035)), Encoding.UTF8, "application/json");
                using var response = await bareHttp.PostAsync($"bare/reports/B{n}/2024-Y", body);
                return response.IsSuccessStatusCode;
            }

            Task Settle() => SettleAsync(bare);
            var step = TimeSpan.FromSeconds(sizes.IngestStepSeconds);
            // Warm-up: every process's hot paths reach their optimised code (tiered JIT) and its pools and caches fill
            // before anything is timed; the tiered compiler otherwise competes with the first steps for the same cores.
            log($"warm-up ours: {await OpenLoop.RunAsync(15, TimeSpan.FromSeconds(sizes.IngestStepSeconds * 4), Ours)}");
            await Settle();
            log($"warm-up bare: {await OpenLoop.RunAsync(50, TimeSpan.FromSeconds(sizes.IngestStepSeconds * 2), Bare)}");
            await Settle();
            if (Environment.GetEnvironmentVariable("ANTQ_BENCH_INGEST_RATE") is { Length: > 0 } fixedRate)
            {
                // For profiling: a steady load at a given rate for a minute, no search; the log line marks its start.
                log("steady load starts");
                for (var window = 0; window < 12; window++)
                {
                    var before = MachineCpu.Read(platform);
                    var steady = await OpenLoop.RunAsync(double.Parse(fixedRate, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(10), Ours);
                    var cpu = MachineCpu.PerOperation(before, MachineCpu.Read(platform), steady.Completed);
                    log($"steady: {steady}; CPU ms per submission: {string.Join(", ", cpu.Select(c => $"{c.Key} {c.Value}"))}");
                }
            }

            // Each side's highest sustained rate, the two searched together round by round (RateSearch): the same
            // offered rates while both keep up (10/s, doubling), then each side bisects its own bracket to within 5 %.
            var oursSearch = new RateSearch("ours", Ours, 10, 3000);
            var bareSearch = new RateSearch("bare", Bare, 10, 20000);
            await RateSearch.SearchAsync([oursSearch, bareSearch], step, r => r.Sustained(SustainedP99BoundMs), Settle, log);
            log($"{oursSearch}; {bareSearch}");
            var highest = oursSearch.Sustained;
            var bareHighest = bareSearch.Sustained;
            if (highest == 0) throw new InvalidOperationException("no rate was sustained: " + string.Join("; ", oursSearch.Steps));
            if (bareHighest == 0) throw new InvalidOperationException("the bare endpoint sustained no rate: " + string.Join("; ", bareSearch.Steps));

            // What the machine burns with nothing offered (the platform idle, and whoever else shares the machine): the
            // figures per submission below include it, spread over the submissions of the step.
            var idleBefore = MachineCpu.Read(platform);
            var idleWatch = Stopwatch.StartNew();
            await Task.Delay(3000);
            var idleMachineMsPerSecond = (MachineCpu.Read(platform)["machine"] - idleBefore["machine"]) * 1000 / idleWatch.Elapsed.TotalSeconds;

            // Ours at 70 % of its highest rate: latency, and where each submission's CPU goes.
            var rate70 = highest * 0.7;
            var databases = StatementProfile.DatabasesOf(platform, "reporting", "notification", "classification", "plan", "identity");
            var profiled = await StatementProfile.ResetAsync();
            var cpuBefore = MachineCpu.Read(platform);
            // What PostgreSQL's sessions wait on meanwhile (running, a row lock, the WAL, the service's next statement).
            var (run, waits, waitSamples) = await WaitSampler.DuringAsync(databases,
                () => OpenLoop.RunAsync(rate70, TimeSpan.FromSeconds(sizes.IngestRunSeconds), Ours));
            var cpuPerSubmission = MachineCpu.PerOperation(cpuBefore, MachineCpu.Read(platform), run.Completed);
            // Where PostgreSQL's share goes: the statements of every service's database during that step, per submission.
            var statements = profiled ? await StatementProfile.TopAsync(databases, run.Completed) : [];
            foreach (var row in statements) log($"  pg: {row.service} {row.calls_per_op} calls, {row.exec_ms_per_op} ms per submission: {row.query}");
            log($"  pg sessions by wait ({waitSamples} samples, every {WaitSampler.Interval.TotalMilliseconds} ms): {WaitSampler.Describe(waits)}");
            await Settle();
            // Asked for (ANTQ_BENCH_TRACE): the same rate again with sampling traces of the named services attached; the
            // figures above are not taken from this run.
            var traces = CpuTrace.Requested.Count == 0 ? null
                : await CpuTrace.DuringAsync(platform, TimeSpan.FromSeconds(sizes.IngestRunSeconds + 4),
                    () => OpenLoop.RunAsync(rate70, TimeSpan.FromSeconds(sizes.IngestRunSeconds), Ours), log);
            log($"ours at 70 % of {highest:F1}/s: {run}; CPU ms per submission: {string.Join(", ", cpuPerSubmission.Select(c => $"{c.Key} {c.Value}"))}");
            await Settle();

            // The bare endpoint at the same offered rate, right after: the CPU per request of both sides at one load.
            var bareSameBefore = ReadWithBare(bare);
            var bareSameRun = await OpenLoop.RunAsync(rate70, TimeSpan.FromSeconds(sizes.IngestRunSeconds), Bare);
            var bareSameCpu = MachineCpu.PerOperation(bareSameBefore, ReadWithBare(bare), bareSameRun.Completed);
            log($"bare at the same {rate70:F1}/s: {bareSameRun}; CPU ms per request: {string.Join(", ", bareSameCpu.Select(c => $"{c.Key} {c.Value}"))}");
            await Settle();

            // And at 70 % of its own highest rate, for its latency.
            var bareBefore = ReadWithBare(bare);
            var bareRun = await OpenLoop.RunAsync(bareHighest * 0.7, TimeSpan.FromSeconds(sizes.IngestRunSeconds), Bare);
            var bareCpu = MachineCpu.PerOperation(bareBefore, ReadWithBare(bare), bareRun.Completed);
            log($"bare at 70 % of {bareHighest:F1}/s: {bareRun}; CPU ms per request: {string.Join(", ", bareCpu.Select(c => $"{c.Key} {c.Value}"))}");
            var status = File.ReadAllLines($"/proc/{bare.Id}/status");
            double Mb(string field) => Math.Round(double.Parse(status.First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024, 1);
            Memory("bare ingest endpoint (reference, own process)", Mb("VmRSS"), Mb("VmHWM"));

            static Dictionary<string, double> Reference(Dictionary<string, double> cpu) =>
                cpu.Where(c => c.Key is "bare endpoint" or "postgresql" or "load generator" or "machine").ToDictionary();
            var oursMachine = cpuPerSubmission["machine"];
            var bareMachine = bareSameCpu["machine"];
            var idlePerSubmission = idleMachineMsPerSecond / rate70;
            static string Steps(RateSearch search) => string.Join(" ", search.Steps.Select(s =>
                $"{s.OfferedPerSecond.ToString("F1", CultureInfo.InvariantCulture)}{(s.Sustained(SustainedP99BoundMs) ? "+" : "-")}"));
            emit(new
            {
                name = "ingest",
                ours = Math.Round(highest, 1),
                reference = Math.Round(bareHighest, 1),
                ratio = Math.Round(highest / bareHighest, 3),
                p50_ms = run.P50Ms,
                p99_ms = run.P99Ms,
                max_ms = run.MaxMs,
                seconds = run.Seconds,
                units = $"full commune reports/s (every asked indicator and the five narrative sections, saved and submitted by one POST …/submit through the gateway) at the highest rate sustained (open loop; sustained = no error, achieved ≥ 95 % of offered, p99 ≤ {SustainedP99BoundMs} ms), found by bisection to within {RateSearch.Precision * 100} % with ours and the reference taking turns round by round; p50/p99 at 70 % of it ({run.OfferedPerSecond:F1}/s); reference: bare ASP.NET + Npgsql batch insert of the same body; CPU: whole machine, both sides at that same offered rate",
                errors_at_70pct = run.Errors,
                cpu_ms_per_submission = cpuPerSubmission,
                pg_statements_per_submission = statements,
                pg_sessions_by_wait = waits,
                pg_wait_samples = waitSamples,
                cpu_traces = traces,
                reference_p50_ms_at_70pct = bareRun.P50Ms,
                reference_p99_ms_at_70pct = bareRun.P99Ms,
                reference_cpu_ms_per_request = Reference(bareCpu),
                // The headline: the whole machine's CPU per submission of both sides at one offered rate, and bare / ours.
                cpu_rate_per_s = Math.Round(rate70, 1),
                machine_cpu_ms_per_submission = oursMachine,
                reference_machine_cpu_ms_per_request = bareMachine,
                cpu_ratio_reference_over_ours = oursMachine > 0 ? Math.Round(bareMachine / oursMachine, 3) : (double?)null,
                reference_cpu_ms_per_request_same_rate = Reference(bareSameCpu),
                reference_errors_same_rate = bareSameRun.Errors + bareSameRun.Dropped,
                machine_idle_cpu_ms_per_s = Math.Round(idleMachineMsPerSecond, 1),
                // The same ratio with what the machine burns idle taken out of both sides (the idle platform counts
                // against the bare endpoint in the whole machine's figure, and against ours too).
                cpu_ratio_reference_over_ours_without_idle = oursMachine - idlePerSubmission > 0
                    ? Math.Round((bareMachine - idlePerSubmission) / (oursMachine - idlePerSubmission), 3) : (double?)null,
                sustained_p99_bound_ms = SustainedP99BoundMs,
                search_precision = RateSearch.Precision,
                lowest_not_sustained = Math.Round(oursSearch.NotSustained, 1),
                reference_lowest_not_sustained = Math.Round(bareSearch.NotSustained, 1),
                reference_reached_ceiling = bareSearch.ReachedCeiling,
                search_steps = Steps(oursSearch),
                reference_search_steps = Steps(bareSearch),
            });
            return highest;
        }
        finally
        {
            bare.Kill(entireProcessTree: true);
        }
    }

    Dictionary<string, double> ReadWithBare(Process bare)
    {
        var cpu = MachineCpu.Read(platform);
        cpu["bare endpoint"] = PlatformProcesses.ProcessCpuSeconds(bare.Id);
        return cpu;
    }

    /// <summary>
    /// Waits after a step until the work it left behind (notices, e-mails, queues, the collector) is done: until the
    /// platform's processes and the bare endpoint together use less than 15 % of one core over half a second, at least
    /// 1 s and at most 10 s. Only their own CPU counts, not the machine's: others share it.
    /// </summary>
    async Task SettleAsync(Process bare)
    {
        double Own() => platform.CpuSeconds().Values.Sum() + (bare.HasExited ? 0 : PlatformProcesses.ProcessCpuSeconds(bare.Id));
        await Task.Delay(1000);
        for (var i = 0; i < 18; i++)
        {
            var before = Own();
            await Task.Delay(500);
            if (Own() - before < 0.5 * 0.15) return;
        }

        log("the platform did not settle below 15 % of a core within 10 s; going on");
    }

    /// <summary>A reference in a process of its own: this program in another mode (<c>bare</c>, <c>bare-proxy</c>).</summary>
    Process StartReference(string mode, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(BareServer).Assembly.Location, mode }.Concat(args)) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log($"{mode}: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // ------------------------------------------------------------------ freshness
    async Task FreshnessAsync(double backgroundRate)
    {
        const string period = "2026-H1";
        var token = await platform.AdminTokenAsync();
        using var probeHttp = new HttpClient { BaseAddress = new Uri(platform.Gateway) };
        probeHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var stop = new CancellationTokenSource();
        var background = OpenLoop.RunAsync(backgroundRate, TimeSpan.FromMinutes(10), async _ =>
            backgroundPool.TryDequeue(out var next) && await client.SubmitInOneStepAsync(next.Code, next.Period, reports.Body(next.Period, next.Seed)),
            ct: stop.Token);
        await Task.Delay(3000); // the background reaches its rate

        var fromRequest = new LongHistogram(1, 600_000_000, 3);
        var fromAnswer = new LongHistogram(1, 600_000_000, 3);
        // The submission's own answer (request sent to answer read): the part of the time before the roll-up is read.
        var toAnswer = new LongHistogram(1, 600_000_000, 3);
        // The live board: the portal hears RollupChanged on its own queue, then reads the board (children of the unit).
        var toEvent = new LongHistogram(1, 600_000_000, 3);
        var toBoard = new LongHistogram(1, 600_000_000, 3);
        await using var listener = await BoardListener.StartAsync(platform.VirtualHost);
        var counts = new Dictionary<string, int>();
        var firstRead = 0;
        var probes = twoTier.Take(sizes.FreshnessProbes).ToList();
        var watch = Stopwatch.StartNew();
        foreach (var (commune, i) in probes.Select((c, i) => (c, i)))
        {
            using var save = await probeHttp.PutAsync($"api/reports/{commune.Code}/{period}",
                new StringContent(reports.Body(period, i), Encoding.UTF8, "application/json"));
            save.EnsureSuccessStatusCode();
            using var submit = new HttpRequestMessage(HttpMethod.Post, $"api/reports/{commune.Code}/{period}/submit");
            submit.Headers.IfMatch.Add(save.Headers.ETag!);
            var heard = listener.Expect(period, commune.Code);
            var requested = Stopwatch.GetTimestamp();
            using (var submitted = await probeHttp.SendAsync(submit)) submitted.EnsureSuccessStatusCode();
            var answered = Stopwatch.GetTimestamp();
            toAnswer.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(requested, answered).TotalMicroseconds));
            var expected = counts[commune.Province] = counts.GetValueOrDefault(commune.Province) + 1;
            for (var attempt = 1; ; attempt++)
            {
                using var response = await probeHttp.GetAsync($"api/rollups/{commune.Province}/{period}");
                using var rollup = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (rollup.RootElement.GetProperty("values").GetProperty("CONF_BRIEFINGS").GetProperty("reports").GetInt32() >= expected)
                {
                    var now = Stopwatch.GetTimestamp();
                    fromRequest.RecordValue((long)Stopwatch.GetElapsedTime(requested, now).TotalMicroseconds);
                    fromAnswer.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(answered, now).TotalMicroseconds));
                    if (attempt == 1) firstRead++;
                    break;
                }

                if (Stopwatch.GetElapsedTime(answered) > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{commune.Code} never showed in {commune.Province}");
            }

            // The board's path: the event reaches a portal-like listener, which reads the province's board again.
            var heardAt = await heard.WaitAsync(TimeSpan.FromSeconds(30));
            toEvent.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(requested, heardAt).TotalMicroseconds));
            using (var board = await probeHttp.GetAsync($"api/rollups/{commune.Province}/{period}/children"))
            {
                using var rows = JsonDocument.Parse(await board.Content.ReadAsStringAsync());
                var row = rows.RootElement.GetProperty("children").EnumerateArray().First(r => r.GetProperty("code").GetString() == commune.Code);
                if (row.GetProperty("status").GetString() is not ("submitted" or "accepted"))
                    throw new InvalidOperationException($"{commune.Code}: the board read after the event does not show the submission");
            }

            toBoard.RecordValue((long)Stopwatch.GetElapsedTime(requested).TotalMicroseconds);
        }

        var probeSeconds = watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        var load = await background;
        log($"background during the probes: {load}");
        static double Ms(long us) => Math.Round(us / 1000.0, 3);
        emit(new
        {
            name = "freshness",
            ours = Ms(fromRequest.GetValueAtPercentile(50)),
            p50_ms = Ms(fromRequest.GetValueAtPercentile(50)),
            p99_ms = Ms(fromRequest.GetValueAtPercentile(99)),
            max_ms = Ms(fromRequest.GetMaxValue()),
            seconds = Math.Round(probeSeconds, 1),
            units = $"ms from sending a commune's submit (POST …/submit through the gateway) until GET of its province's roll-up shows it; {probes.Count} submissions one after another while {load.OfferedPerSecond:F1} other full reports/s (50 % of the highest sustained ingest rate) were submitted, open loop",
            submit_answer_p50_ms = Ms(toAnswer.GetValueAtPercentile(50)),
            submit_answer_p99_ms = Ms(toAnswer.GetValueAtPercentile(99)),
            answer_to_visible_p50_ms = Ms(fromAnswer.GetValueAtPercentile(50)),
            answer_to_visible_p99_ms = Ms(fromAnswer.GetValueAtPercentile(99)),
            first_read_showed_it = firstRead,
            background_achieved_per_s = Math.Round(load.AchievedPerSecond, 1),
            background_errors = load.Errors + load.Dropped,
            background_p99_ms = load.P99Ms,
        });
        emit(new
        {
            name = "board",
            ours = Ms(toBoard.GetValueAtPercentile(50)),
            p50_ms = Ms(toBoard.GetValueAtPercentile(50)),
            p99_ms = Ms(toBoard.GetValueAtPercentile(99)),
            max_ms = Ms(toBoard.GetMaxValue()),
            event_p50_ms = Ms(toEvent.GetValueAtPercentile(50)),
            event_p99_ms = Ms(toEvent.GetValueAtPercentile(99)),
            units = "ms from sending a commune's submit until a portal-like listener (a temporary queue, as each portal replica has) has heard RollupChanged and read the province's board (GET …/children) showing it; the same probes and background as freshness. Not included: the portal's push of the re-rendered rows over its open circuit (in-process, then one WebSocket frame on the loopback)",
        });
    }

    // ------------------------------------------------------------------ seeding for recompute and close
    async Task SeedAsync()
    {
        var watch = Stopwatch.StartNew();
        var already = (await Sql.RowsAsync(platform.ConnectionStringOf("reporting"),
            "SELECT org_unit_code, period FROM reports WHERE status IN ('Submitted', 'Accepted')")).Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var work = new List<(string Code, string Period, int Seed)>();
        if (Wanted("recompute") || Wanted("recompute-three-tier")) work.AddRange(threeTier.Select((c, i) => (c.Code, "2024-Y", i)));
        if (Wanted("recompute") || Wanted("recompute-two-tier")) work.AddRange(twoTier.Select((c, i) => (c.Code, "2026-H1", i)));
        // Half of the country has reported for 2026-Y when its deadline passes (the close measurement).
        if (Wanted("close")) work.AddRange(twoTier.Where((_, i) => i % 2 == 0).Select((c, i) => (c.Code, "2026-Y", i)));
        if (work.Count == 0) return;
        work = [.. work.Where(w => !already.Contains((w.Code, w.Period)))];
        var failed = 0;
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (w, ct) =>
        {
            if (await client.SubmitAsync(w.Code, w.Period, reports.Body(w.Period, w.Seed), ct: ct) == SubmitOutcome.Failed) Interlocked.Increment(ref failed);
        });
        log($"seeded {work.Count} more submissions ({failed} failed) in {watch.Elapsed.TotalSeconds:F0} s ({work.Count / watch.Elapsed.TotalSeconds:F0}/s, 12 at a time)");
    }

    // ------------------------------------------------------------------ recompute
    async Task RecomputeAsync(string period, int communes, string what)
    {
        var reporting = platform.ConnectionStringOf("reporting");
        var counted = await Sql.ScalarAsync<long>(reporting, $"SELECT count(*) FROM reports WHERE period = '{period}' AND status IN ('Submitted', 'Accepted') AND NOT consolidated");
        var hierarchyDate = period.EndsWith("-Y", StringComparison.Ordinal) ? $"{period[..4]}-12-14" : $"{period[..4]}-06-14";
        var threeTier = string.CompareOrdinal(hierarchyDate, "2025-07-01") < 0;
        string Valid(string alias) => $"{alias}.valid_from <= '{hierarchyDate}' AND ({alias}.valid_to IS NULL OR {alias}.valid_to > '{hierarchyDate}')";
        // The levels above a commune: district (three-tier only), province; the Ministry is the whole.
        string[] levels = threeTier ? ["d", "p"] : ["p"];
        var joins = string.Join("\n", levels.Select((alias, i) =>
            $"JOIN unit_tree_versions {alias} ON {alias}.code = {(i == 0 ? "c" : levels[i - 1])}.parent_code AND {Valid(alias)}"));
        var unit = string.Join(" ", new[] { "c" }.Concat(levels).Select(alias => $"WHEN GROUPING({alias}.code) = 0 THEN {alias}.code"));
        var sets = string.Join(", ", new[] { "c" }.Concat(levels).Select(alias => $"({alias}.code, v.indicator)"));
        // Every cell of the period, as the SQL computes it: one row per unit and indicator.
        var truth = $"""
            SELECT CASE {unit} ELSE 'BCA' END AS unit, v.indicator, sum(v.value) AS sum, count(*) AS reports
            FROM reports r
            JOIN report_values v ON v.report_id = r.id AND v.value IS NOT NULL
            JOIN unit_tree_versions c ON c.code = r.org_unit_code AND {Valid("c")}
            {joins}
            WHERE r.period = '{period}' AND r.status IN ('Submitted', 'Accepted') AND NOT r.consolidated
            GROUP BY GROUPING SETS ({sets}, (v.indicator))
            """;
        // The reference of the repair path: the same GROUP BY, written into a table of one row per cell that already
        // holds every cell, only where a cell differs (and the cells nothing reaches any more deleted).
        var repairSql = $"""
            WITH truth AS MATERIALIZED ({truth}),
            upserted AS (
                INSERT INTO bench_ref_cells AS b (unit, indicator, sum, reports)
                SELECT unit, indicator, sum, reports FROM truth
                ON CONFLICT (unit, indicator) DO UPDATE SET sum = excluded.sum, reports = excluded.reports
                WHERE (b.sum, b.reports) IS DISTINCT FROM (excluded.sum, excluded.reports)
                RETURNING 1),
            removed AS (
                DELETE FROM bench_ref_cells b WHERE NOT EXISTS (SELECT 1 FROM truth t WHERE t.unit = b.unit AND t.indicator = b.indicator)
                RETURNING 1)
            SELECT (SELECT count(*) FROM upserted) + (SELECT count(*) FROM removed)
            """;
        // The product's cells, each the sum of its shards, set against a table of the SQL's cells.
        string Differing(string table) => $"""
            SELECT count(*) FROM {table} b
            FULL JOIN (SELECT c.org_unit_code, e.indicator, sum(e.sum) AS sum, sum(e.reports) AS reports
                       FROM rollup_cells c CROSS JOIN LATERAL unnest(c.indicators, c.sums, c.reports) AS e(indicator, sum, reports)
                       WHERE c.period = '{period}' GROUP BY 1, 2) c
              ON c.org_unit_code = b.unit AND c.indicator = b.indicator
            WHERE b.unit IS NULL OR c.org_unit_code IS NULL OR b.sum <> c.sum OR b.reports <> c.reports
            """;

        // The state a real recompute meets, set up once: the cells as the live submissions left them (every cell
        // present, in the shards the increments chose), made exact by one recompute of ours (not timed), kept aside;
        // the SQL's cells beside them; and a tenth of the cells, chosen by a fixed hash, to be made wrong.
        await Sql.ExecuteAsync(reporting, "DROP TABLE IF EXISTS bench_cells, bench_live_cells, bench_truth, bench_wrong, bench_ref_cells");
        await api.PostAsync($"api/rollups/{period}/recompute");
        await Sql.ExecuteAsync(reporting, $"""
            CREATE TABLE bench_live_cells AS SELECT period, org_unit_code, shard, indicators, sums, reports FROM rollup_cells WHERE period = '{period}';
            CREATE TABLE bench_truth AS {truth};
            ALTER TABLE bench_truth ADD PRIMARY KEY (unit, indicator);
            CREATE TABLE bench_wrong AS SELECT unit, indicator FROM bench_truth ORDER BY md5(unit || '/' || indicator)
                LIMIT (SELECT count(*) / 10 FROM bench_truth);
            ALTER TABLE bench_wrong ADD PRIMARY KEY (unit, indicator);
            CREATE TABLE bench_ref_cells (unit text NOT NULL, indicator text NOT NULL, sum numeric, reports bigint NOT NULL, PRIMARY KEY (unit, indicator));
            """);
        var liveDiffering = await ScalarAsync(reporting, Differing("bench_truth"));
        var madeWrong = await ScalarAsync(reporting, "SELECT count(*) FROM bench_wrong");
        var unitsWithWrong = await ScalarAsync(reporting, "SELECT count(DISTINCT unit) FROM bench_wrong");
        var allUnits = await ScalarAsync(reporting, "SELECT count(DISTINCT unit) FROM bench_truth");
        var liveRows = await ScalarAsync(reporting, "SELECT count(*) FROM bench_live_cells");
        if (liveDiffering != 0) log($"recompute {period}: {liveDiffering} cells still differ from the SQL after a recompute; the repair rounds start from them as they are");

        var emptyOurs = new List<double>();
        var emptyServerMs = new List<double>();
        var emptyReference = new List<double>();
        var repairOurs = new List<double>();
        var repairServerMs = new List<double>();
        var repairReference = new List<double>();
        long cells = 0, referenceRewritten = 0, repairDiffering = 0, referenceRepairDiffering = 0;
        StatementProfile.StatementRow[] emptyStatements = [];
        // Each round: ours from empty, the SQL from empty, ours repairing, the SQL repairing, so that a slow minute of
        // the shared machine falls on every one of them; the first round warms up and is not counted. Each one's
        // set-up is not timed and ends with VACUUM ANALYZE of the table it changed, so no side meets dead rows of the
        // set-up that the other does not.
        for (var round = 0; round <= sizes.RecomputeRounds; round++)
        {
            var timed = round > 0;

            // From nothing: the period's cells are deleted first, so the rebuild writes every one.
            await Sql.ExecuteAsync(reporting, $"DELETE FROM rollup_cells WHERE period = '{period}'");
            await Sql.ExecuteAsync(reporting, "VACUUM ANALYZE rollup_cells");
            // The last round's rebuild also says where PostgreSQL's part of it goes, statement by statement.
            var lastRound = round == sizes.RecomputeRounds;
            var statementsProfiled = lastRound && await StatementProfile.ResetAsync();
            var (ms, response) = await TimedRecomputeAsync(period);
            if (statementsProfiled) emptyStatements = await StatementProfile.TopAsync(StatementProfile.DatabasesOf(platform, "reporting"), 1, top: 6);
            cells = response.GetProperty("cells").GetInt32();
            if (timed) { emptyOurs.Add(ms); emptyServerMs.Add(response.GetProperty("elapsedMs").GetDouble()); }

            await Sql.ExecuteAsync(reporting, "DROP TABLE IF EXISTS bench_cells");
            var (sqlMs, _) = await TimedSqlAsync(reporting, $"CREATE TABLE bench_cells AS {truth}");
            if (timed) emptyReference.Add(sqlMs);

            // Repair: every cell present, in the shards live submissions left them in, a tenth of them wrong.
            await Sql.ExecuteAsync(reporting, $"""
                DELETE FROM rollup_cells WHERE period = '{period}';
                INSERT INTO rollup_cells (period, org_unit_code, shard, indicators, sums, reports)
                SELECT s.period, s.org_unit_code, s.shard, s.indicators,
                       (SELECT array_agg(CASE WHEN w.unit IS NULL THEN e.sum ELSE e.sum + 1 END ORDER BY e.n)
                        FROM unnest(s.indicators, s.sums) WITH ORDINALITY AS e(indicator, sum, n)
                        LEFT JOIN bench_wrong w ON w.unit = s.org_unit_code AND w.indicator = e.indicator),
                       s.reports
                FROM bench_live_cells s
                ORDER BY s.org_unit_code COLLATE "C", s.shard;
                """);
            await Sql.ExecuteAsync(reporting, "VACUUM ANALYZE rollup_cells");
            (ms, response) = await TimedRecomputeAsync(period);
            if (timed) { repairOurs.Add(ms); repairServerMs.Add(response.GetProperty("elapsedMs").GetDouble()); }
            repairDiffering = Math.Max(repairDiffering, await ScalarAsync(reporting, Differing("bench_truth")));

            await Sql.ExecuteAsync(reporting, """
                TRUNCATE bench_ref_cells;
                INSERT INTO bench_ref_cells (unit, indicator, sum, reports)
                SELECT t.unit, t.indicator, CASE WHEN w.unit IS NULL THEN t.sum ELSE t.sum + 1 END, t.reports
                FROM bench_truth t LEFT JOIN bench_wrong w ON w.unit = t.unit AND w.indicator = t.indicator
                ORDER BY t.unit, t.indicator;
                """);
            await Sql.ExecuteAsync(reporting, "VACUUM ANALYZE bench_ref_cells");
            (sqlMs, referenceRewritten) = await TimedSqlAsync(reporting, repairSql);
            if (timed) repairReference.Add(sqlMs);
            referenceRepairDiffering = Math.Max(referenceRepairDiffering, await ScalarAsync(reporting, """
                SELECT count(*) FROM bench_truth t FULL JOIN bench_ref_cells b ON b.unit = t.unit AND b.indicator = t.indicator
                WHERE t.unit IS NULL OR b.unit IS NULL OR t.sum <> b.sum OR t.reports <> b.reports
                """));
        }

        // Everything right already: what a recompute costs when it finds nothing to repair.
        var (warmMs, _) = await TimedRecomputeAsync(period);

        var referenceCells = await ScalarAsync(reporting, "SELECT count(*) FROM bench_cells");
        // The two must agree cell by cell, or the comparison means nothing.
        var differing = await ScalarAsync(reporting, Differing("bench_cells"));
        await Sql.ExecuteAsync(reporting, "DROP TABLE IF EXISTS bench_cells, bench_live_cells, bench_truth, bench_wrong, bench_ref_cells");
        var median = Median(emptyOurs);
        var referenceMedian = Median(emptyReference);
        var repairMedian = Median(repairOurs);
        var repairReferenceMedian = Median(repairReference);
        static string Ms(IEnumerable<double> values) => string.Join(", ", values.Select(o => o.ToString("F0", CultureInfo.InvariantCulture)));
        log($"recompute {period} from empty: {Ms(emptyOurs)} ms (server {Ms(emptyServerMs)}); SQL {Ms(emptyReference)} ms; {counted} reports, {cells} cells vs {referenceCells}, {differing} differ");
        foreach (var row in emptyStatements) log($"  pg, from empty: {row.calls_per_op} calls, {row.exec_ms_per_op} ms, {row.rows_per_op} rows: {row.query}");
        log($"recompute {period} repair ({madeWrong} of {referenceCells} cells wrong, in {unitsWithWrong} of {allUnits} units): {Ms(repairOurs)} ms (server {Ms(repairServerMs)}); SQL {Ms(repairReference)} ms, {referenceRewritten} cells rewritten; afterwards {repairDiffering} differ (ours), {referenceRepairDiffering} (SQL); nothing to repair {warmMs:F0} ms");
        emit(new
        {
            name = "recompute",
            ours = Math.Round(median / 1000, 3),
            reference = Math.Round(referenceMedian / 1000, 3),
            ratio = Math.Round(median / referenceMedian, 2),
            p50_ms = Math.Round(median, 1),
            max_ms = Math.Round(emptyOurs.Max(), 1),
            seconds = Math.Round(median / 1000, 3),
            units = $"seconds, median of {emptyOurs.Count}: POST /api/rollups/{period}/recompute through the gateway, whole country {what}: {counted} submitted reports of {communes} communes, {cells} cells; two paths, taking turns round by round: from empty (every cell of the period deleted first; reference: one SQL GROUP BY GROUPING SETS into a new table) and repair (every cell present as live submissions left them, a tenth of them wrong; reference: the same GROUP BY upserted into a table of one row per cell, only where a cell differs, with work_mem as the service sets it); ratio = ours / SQL (lower is better); ours/reference/ratio/p50 are the from-empty path, repair_* the repair path",
            cells_differing_from_sql = differing,
            server_elapsed_ms_median = Median(emptyServerMs),
            pg_statements_from_empty = emptyStatements,
            nothing_to_repair_ms = Math.Round(warmMs, 1),
            repair_ours = Math.Round(repairMedian / 1000, 3),
            repair_reference = Math.Round(repairReferenceMedian / 1000, 3),
            repair_ratio = Math.Round(repairMedian / repairReferenceMedian, 2),
            repair_p50_ms = Math.Round(repairMedian, 1),
            repair_max_ms = Math.Round(repairOurs.Max(), 1),
            repair_server_elapsed_ms_median = Median(repairServerMs),
            repair_cells_made_wrong = madeWrong,
            repair_units_with_a_wrong_cell = unitsWithWrong,
            repair_units = allUnits,
            repair_stored_rows = liveRows,
            repair_reference_cells_rewritten = referenceRewritten,
            repair_cells_differing_from_sql = repairDiffering,
            repair_reference_cells_differing = referenceRepairDiffering,
            repair_setup_cells_differing_from_sql = liveDiffering,
        });
    }

    async Task<(double Ms, JsonElement Response)> TimedRecomputeAsync(string period)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await api.PostAsync($"api/rollups/{period}/recompute");
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, response);
    }

    /// <summary>
    /// One statement of a reference, timed from sending it to its answer, on a connection opened beforehand with the
    /// work_mem the service's recompute sets for itself (64 MB): the reference gets the same memory for its sorts.
    /// </summary>
    static async Task<(double Ms, long Result)> TimedSqlAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using (var set = new Npgsql.NpgsqlCommand("SET work_mem = '64MB'", connection)) await set.ExecuteNonQueryAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        var started = Stopwatch.GetTimestamp();
        var result = await command.ExecuteScalarAsync();
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, result is long n ? n : 0);
    }

    static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    // ------------------------------------------------------------------ close
    async Task CloseAsync(SmtpSink smtp)
    {
        const string period = "2026-Y";
        var watch = Stopwatch.StartNew();
        var units = twoTier.Select(c => c.Code).Concat(twoTier.Select(c => c.Province).Distinct()).ToList();
        await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (code, ct) =>
            await api.SetContactPointAsync(code, [$"ca.{code}@congan.example.vn"], ct));
        log($"contact points for {units.Count} units in {watch.Elapsed.TotalSeconds:F0} s");

        var provinces = twoTier.Select(c => c.Province).Distinct().Order(StringComparer.Ordinal).ToList();
        // Every province's plan sets its communes' deadline; the Ministry's sets the provinces'. One moment for all.
        // Time to issue the 35 plans and for Reporting and Notification to learn the deadlines (checked below).
        var due = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(45 + provinces.Count / 2).ToUnixTimeSeconds());
        var dueText = due.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var deadlines = new Dictionary<string, string> { [period] = dueText };
        foreach (var province in provinces)
            await api.IssuePlanAsync(province, 2026, $"{province}/KH-CAT-PV01", deadlines, ["PT1S"]);
        await api.IssuePlanAsync("BCA", 2026, "01/KH-BCA-V05", deadlines, ["PT1S"]);
        // The measurement starts with both services ready: Reporting knows every deadline, and Notification has planned
        // every unit's schedule for it (a notice planned after its moment has passed is not sent).
        var expectedDeadlines = twoTier.Count + provinces.Count;
        var dueSql = $"'{due.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'";
        await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"),
            $"SELECT count(*) FROM unit_deadlines WHERE period = '{period}' AND due_at = {dueSql}") >= expectedDeadlines,
            due - DateTimeOffset.UtcNow, $"Reporting has the {expectedDeadlines} deadlines of {period} before they pass");
        await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(platform.ConnectionStringOf("notification"),
            $"SELECT count(*) FROM unit_schedules WHERE period = '{period}' AND deadline_at = {dueSql}") >= expectedDeadlines,
            due - DateTimeOffset.UtcNow, $"Notification has planned the {expectedDeadlines} schedules of {period} before the deadline passes");

        var submitted = await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"),
            $"SELECT count(*) FROM reports WHERE period = '{period}' AND status IN ('Submitted', 'Accepted') AND NOT consolidated");
        var missingCommunes = twoTier.Count - submitted;
        var expectedClosings = provinces.Count + 1;
        var expectedOverdue = missingCommunes + provinces.Count;   // the provinces' own reports are not in either
        var expectedNotices = expectedOverdue + expectedClosings;  // overdue notices and one "period closed" per level
        var expectedEmails = expectedOverdue + provinces.Count;    // the Ministry level has no contact point here
        log($"deadline {dueText}: {submitted} communes submitted; waiting for {expectedClosings} closings, {expectedNotices} notices, {expectedEmails} e-mails");

        var wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait - TimeSpan.FromMilliseconds(Math.Min(300, wait.TotalMilliseconds)));
        // Where the close's time goes: each process's CPU and PostgreSQL's statements over the close (profile only).
        var profiled = await StatementProfile.ResetAsync();
        var cpuBefore = MachineCpu.Read(platform);
        wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var started = Stopwatch.GetTimestamp();
        double? closingsDone = null, noticesDone = null, emailsDone = null;
        long closings = 0, notices = 0, emails = 0;
        var notification = platform.ConnectionStringOf("notification");
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(3) && (closingsDone is null || noticesDone is null || emailsDone is null))
        {
            closings = await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"), $"SELECT count(*) FROM period_closings WHERE period = '{period}'");
            notices = await Sql.ScalarAsync<long>(notification, $"SELECT count(*) FROM notices WHERE period = '{period}' AND kind IN ('overdue', 'periodClosed') AND status = 'sent'");
            emails = await Sql.ScalarAsync<long>(notification, $"""
                SELECT count(*) FROM deliveries d JOIN notices n ON n.id = d.notice_id
                WHERE n.period = '{period}' AND n.kind IN ('overdue', 'periodClosed') AND d.channel = 'email' AND d.status = 'delivered'
                """);
            var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (closingsDone is null && closings >= expectedClosings) closingsDone = at;
            if (noticesDone is null && notices >= expectedNotices) noticesDone = at;
            if (emailsDone is null && emails >= expectedEmails) emailsDone = at;
            await Task.Delay(100);
        }

        var cpuMs = MachineCpu.PerOperation(cpuBefore, MachineCpu.Read(platform), 1);
        var statements = profiled
            ? await StatementProfile.TopAsync(StatementProfile.DatabasesOf(platform, "reporting", "notification"), Math.Max(1, notices))
            : [];
        log($"close: CPU ms in all per process: {string.Join(", ", cpuMs.Select(c => $"{c.Key} {c.Value}"))}");
        foreach (var row in statements) log($"  pg: {row.service} {row.calls_per_op} calls, {row.exec_ms_per_op} ms per notice: {row.query}");
        var inbox = smtp.Messages().Count(m => m.Subject?.Length > 0);
        log($"closings {closings}/{expectedClosings} after {closingsDone:F1} s, notices {notices}/{expectedNotices} after {noticesDone:F1} s, e-mails {emails}/{expectedEmails} delivered after {emailsDone:F1} s; {inbox} messages at the SMTP server in all");
        // All three, or none: a part that never finished leaves the measurement without a figure.
        double? seconds = closingsDone is { } c && noticesDone is { } n && emailsDone is { } m ? Math.Max(c, Math.Max(n, m)) : null;
        emit(new
        {
            name = "close",
            ours = seconds is null ? (double?)null : Math.Round(seconds.Value, 2),
            seconds = seconds is null ? (double?)null : Math.Round(seconds.Value, 2),
            units = $"seconds from the national deadline of {period} passing until every level is closed ({expectedClosings}: 34 provinces and the Ministry, {twoTier.Count} communes, {submitted} submitted) and every notice is sent ({expectedNotices}: overdue to each missing unit, 'period closed' to each level) and e-mailed ({expectedEmails} e-mails delivered to a real SMTP server); closing looks for due deadlines every 1 s here (Closing:PollInterval, 30 s by default)",
            closings_done_s = closingsDone,
            notices_sent_s = noticesDone,
            emails_delivered_s = emailsDone,
            closings,
            notices,
            emails,
            timed_out = seconds is null,
            cpu_ms_in_all = cpuMs,
            pg_statements_per_notice = statements,
        });
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

}
