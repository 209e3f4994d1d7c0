using System.Diagnostics;
using Antq.Testing;

namespace Antq.Bench;

/// <summary>
/// Where a service's CPU goes, from a sampling trace (<c>dotnet-trace</c>, the repository's local tool) taken during a
/// step of its own, so that the measured figures are not disturbed by it. Asked for with <c>ANTQ_BENCH_TRACE</c>, a
/// comma-separated list of services (for example <c>reporting,notification</c>). Prints each service's top methods
/// (exclusive and inclusive time) and keeps the traces in <c>bench/results/traces/</c> to open in PerfView or speedscope.
/// </summary>
static class CpuTrace
{
    public static IReadOnlyList<string> Requested =>
        (Environment.GetEnvironmentVariable("ANTQ_BENCH_TRACE") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Runs <paramref name="step"/> with a trace of each requested service attached; answers the reports.</summary>
    public static async Task<Dictionary<string, string>> DuringAsync(PlatformProcesses platform, TimeSpan duration, Func<Task> step, Action<string> log,
        string? only = null)
    {
        var root = Environment.GetEnvironmentVariable("ANTQ_ROOT") ?? Directory.GetCurrentDirectory();
        var folder = Path.Combine(root, "bench", "results", "traces");
        Directory.CreateDirectory(folder);
        var collectors = new List<(string Service, string File, Process Process)>();
        foreach (var service in Requested.Where(s => only is null ? s != "gateway" : s == only))
        {
            var file = Path.Combine(folder, $"{service}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.nettrace");
            var collector = Tool(root, "collect", "-p", platform.ProcessIdOf(service).ToString(), "--profile", "dotnet-sampled-thread-time",
                "--duration", $"00:00:{(int)duration.TotalMinutes:00}:{duration.Seconds:00}", "-o", file);
            collectors.Add((service, file, collector));
        }

        await Task.Delay(2000);   // the sessions are open
        await step();
        var reports = new Dictionary<string, string>();
        foreach (var (service, file, collector) in collectors)
        {
            await collector.WaitForExitAsync();
            var exclusive = await OutputAsync(Tool(root, "report", file, "topN", "-n", "25"));
            var inclusive = await OutputAsync(Tool(root, "report", file, "topN", "-n", "25", "--inclusive"));
            reports[service] = $"exclusive:\n{exclusive}\ninclusive:\n{inclusive}";
            log($"CPU trace of {service} ({Path.GetFileName(file)}):\n{reports[service]}");
        }

        return reports;
    }

    static Process Tool(string root, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("dotnet-trace");
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    static async Task<string> OutputAsync(Process process)
    {
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}
