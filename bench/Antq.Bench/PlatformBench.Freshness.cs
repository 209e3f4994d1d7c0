using System.Net.Http.Headers;
using HdrHistogram;

namespace Antq.Bench;

sealed partial class PlatformBench
{
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
}
