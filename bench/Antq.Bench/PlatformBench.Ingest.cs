namespace Antq.Bench;

sealed partial class PlatformBench
{
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
}
