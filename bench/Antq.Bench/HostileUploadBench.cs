using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Antq.Testing;
using Antq.Testing.Load;

namespace Antq.Bench;

/// <summary>
/// The hostile corpus of the Excel upload (<see cref="HostileWorkbooks"/>: zip bombs, cell references past every
/// integer, billion laughs, deep nesting, floods of cells and shared strings, not a zip, too large, wrong content
/// types) sent through the gateway to a running Reporting, as one commune's account would send it: every file
/// <see cref="Rounds"/> times, <see cref="Parallel"/> at a time. Each must be answered 4xx and leave no report behind;
/// the result is Reporting's peak working set while they are sent, against <see cref="PeakBoundMb"/>
/// (docs/benchmarks.md, "Hostile uploads"). Before the reader was bounded, one of these files took Reporting from
/// 239 MB to 2.6 GB and another left it spinning a core.
/// </summary>
static class HostileUploadBench
{
    /// <summary>The bound on Reporting's peak working set during the corpus (docs/benchmarks.md).</summary>
    public const double PeakBoundMb = 400;

    const int Rounds = 3;
    const int Parallel = 4;
    const string Period = "2026-H1";

    public static async Task<object> RunAsync(Action<string> log)
    {
        await using var platform = await PlatformProcesses.StartAsync(new PlatformOptions
        {
            Label = "hostile",
            // One administrator's account sends it all; the per-user write limit is for people.
            Settings = new() { ["gateway"] = new() { ["Gateway:RateLimits:WritePermits"] = "100000000" } },
        });
        using var api = new PlatformApi(platform);
        var communes = Country.TwoTier();
        await api.ImportUnitsAsync(Country.TwoTierFile, "2025-07-01");
        var commune = communes[0];
        await api.WaitForReportingTreeAsync(commune.Province, Period, communes.Count(c => c.Province == commune.Province));

        using var http = new HttpClient { BaseAddress = new Uri(platform.Gateway), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await platform.AdminTokenAsync());
        var path = $"api/reports/{commune.Code}/{Period}";
        using (var template = await http.GetAsync($"{path}/template.xlsx"))
        {
            template.EnsureSuccessStatusCode();
            var corpus = HostileWorkbooks.Corpus(await template.Content.ReadAsByteArrayAsync());
            log($"hostile corpus: {corpus.Count} files ({corpus.Sum(c => c.Body.Length) / 1024} KB on the wire), {Rounds} rounds, {Parallel} at a time, to {commune.Code}");

            var pid = platform.ProcessIdOf("reporting");
            await Task.Delay(TimeSpan.FromSeconds(3)); // the import's copies settle
            GC.Collect();
            var before = ResidentMb(pid, "VmRSS");
            var resetPeak = ResetPeak(pid);
            using var sampling = new CancellationTokenSource();
            var sampledPeak = 0.0;
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    sampledPeak = Math.Max(sampledPeak, ResidentMb(pid, "VmRSS"));
                    try { await Task.Delay(10, sampling.Token); } catch (OperationCanceledException) { }
                }
            });

            var answers = new List<(string Label, int Status, double Ms)>();
            var clock = Stopwatch.StartNew();
            var work = Enumerable.Range(0, Rounds).SelectMany(_ => corpus).ToList();
            await System.Threading.Tasks.Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (upload, ct) =>
            {
                var sent = Stopwatch.StartNew();
                using var content = new ByteArrayContent(upload.Body);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(upload.ContentType);
                int status;
                try
                {
                    using var response = await http.PutAsync(path, content, ct);
                    status = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    status = 0; // the connection was cut: no answer at all
                }
                catch (TaskCanceledException)
                {
                    status = -1; // no answer within the client's minute
                }

                lock (answers) answers.Add((upload.Label, status, sent.Elapsed.TotalMilliseconds));
            });
            var seconds = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            var peak = Math.Max(sampledPeak, resetPeak ? ResidentMb(pid, "VmHWM") : 0);
            var after = ResidentMb(pid, "VmRSS");

            using var report = await http.GetAsync(path);
            var leftBehind = report.IsSuccessStatusCode;
            var not4xx = answers.Where(a => a.Status is < 400 or >= 500).ToList();
            foreach (var group in answers.GroupBy(a => a.Label))
                log($"  {group.Key}: {HostileWorkbooks.Summary(group.Select(a => a.Status))}, slowest {group.Max(a => a.Ms):F0} ms");
            log($"Reporting {before:F0} MB before, peak {peak:F0} MB during ({(resetPeak ? "high-water mark reset before the corpus, and" : "")} sampled every 10 ms), {after:F0} MB after; bound {PeakBoundMb:F0} MB");

            Console.WriteLine("MEMORY " + System.Text.Json.JsonSerializer.Serialize(new
            {
                process = "reporting while the hostile corpus is sent (own process)", working_set_mb = Math.Round(after, 1), peak_working_set_mb = Math.Round(peak, 1),
            }));
            return new
            {
                name = "hostile-uploads",
                files = corpus.Count,
                requests = answers.Count,
                seconds = Math.Round(seconds, 1),
                statuses = HostileWorkbooks.Summary(answers.Select(a => a.Status)),
                all_4xx = not4xx.Count == 0,
                not_4xx = not4xx.Select(a => $"{a.Label}: {a.Status}").Distinct().ToList(),
                report_left_behind = leftBehind,
                slowest_ms = Math.Round(answers.Max(a => a.Ms)),
                reporting_before_mb = Math.Round(before, 1),
                reporting_peak_mb = Math.Round(peak, 1),
                reporting_after_mb = Math.Round(after, 1),
                peak_bound_mb = PeakBoundMb,
                within_bound = peak <= PeakBoundMb && not4xx.Count == 0 && !leftBehind,
                units = $"{corpus.Count} crafted files x {Rounds} rounds, {Parallel} at a time, one commune's upload route through the gateway",
            };
        }
    }

    static double ResidentMb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Resets the process's high-water mark of resident memory (Linux: 5 into clear_refs), so VmHWM then
    /// covers the corpus alone; false where that is not allowed, and the sampling alone counts.</summary>
    static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
