using System.Net.Http.Headers;

namespace Antq.Bench;

sealed partial class PlatformBench
{
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

            // Asked for (ANTQ_BENCH_TRACE=gateway): one more turn through the gateway with a sampling trace of it attached,
            // to say where its own CPU per request goes; the figures above are not taken from this turn.
            var traces = CpuTrace.Requested.Contains("gateway")
                ? await CpuTrace.DuringAsync(platform, TimeSpan.FromSeconds(half + 4), () => Wrk.RunAsync(through, token, 16, 2, half), log, only: "gateway")
                : null;

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
                cpu_traces = traces,
            });
        }
        finally
        {
            proxy.Kill(entireProcessTree: true);
        }
    }
}
