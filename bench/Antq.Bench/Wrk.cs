using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Antq.Bench;

/// <summary>What one wrk run printed.</summary>
sealed record WrkResult(double PerSecond, double P50Ms, double P99Ms, double MaxMs, long Requests, long Errors, double Seconds)
{
    public override string ToString() =>
        $"{Requests} requests in {Seconds:F1} s = {PerSecond:F1}/s, p50 {P50Ms:F3} ms p99 {P99Ms:F3} ms max {MaxMs:F3} ms, {Errors} non-2xx or errors";

    public static WrkResult Merge(WrkResult a, WrkResult b)
    {
        var requests = a.Requests + b.Requests;
        double Weighted(double x, double y) => (x * a.Requests + y * b.Requests) / Math.Max(1, requests);
        return new WrkResult(requests / (a.Seconds + b.Seconds), Weighted(a.P50Ms, b.P50Ms), Weighted(a.P99Ms, b.P99Ms),
            Math.Max(a.MaxMs, b.MaxMs), requests, a.Errors + b.Errors, a.Seconds + b.Seconds);
    }
}

/// <summary>Debian's wrk (a closed loop in C, lighter on the shared cores than a .NET client), run and read.</summary>
static partial class Wrk
{
    public static bool Available => File.Exists("/usr/bin/wrk");

    /// <summary>Percentiles of two runs are merged as request-weighted means: an approximation, said so in the results.</summary>
    public static async Task<WrkResult> RunAsync(string url, string token, int connections, int threads, int seconds)
    {
        var info = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", url })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {output} {await process.StandardError.ReadToEndAsync()}");
        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        double Duration(string value, string unit) => double.Parse(value, CultureInfo.InvariantCulture) * unit switch
        {
            "us" => 0.001, "ms" => 1, "s" => 1000, "m" => 60_000, _ => throw new FormatException($"unit {unit}"),
        };
        double Percent(string p)
        {
            var match = Regex.Match(output, $@"^\s*{p}%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
            return match.Success ? Duration(match.Groups[1].Value, match.Groups[2].Value) : double.NaN;
        }

        var latency = LatencyLine().Match(output);
        var summary = SummaryLine().Match(output);
        var errors = NonSuccessLine().Match(output);
        var socket = SocketErrorsLine().Match(output);
        long socketErrors = socket.Success ? socket.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(
            double.Parse(RateLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Percent("50"), Percent("99"),
            latency.Success ? Duration(latency.Groups[1].Value, latency.Groups[2].Value) : double.NaN,
            long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture),
            (errors.Success ? long.Parse(errors.Groups[1].Value, CultureInfo.InvariantCulture) : 0) + socketErrors,
            double.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture) * (summary.Groups[3].Value == "m" ? 60 : 1));
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RateLine();

    // "    Latency   621.19us  253.69us   6.53ms   88.61%": average, deviation, max, share within one deviation.
    [GeneratedRegex(@"^\s*Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)\s", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"^\s*(\d+) requests in ([\d.]+)(s|m)", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^\s*Non-2xx or 3xx responses:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}
