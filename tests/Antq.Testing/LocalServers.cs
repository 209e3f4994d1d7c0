using System.Diagnostics;

namespace Antq.Testing;

/// <summary>
/// Stops and starts the real local RabbitMQ node and PostgreSQL server through <c>deploy/antq</c>, the servers' own
/// script (the same ports and state as the run that started them), for tests of what an outage does.
/// </summary>
public static class LocalServers
{
    public static Task StopBrokerAsync() => RunAsync("broker", "stop");

    public static Task StartBrokerAsync() => RunAsync("broker", "start");

    public static Task StopPostgresAsync() => RunAsync("postgres", "stop");

    public static Task StartPostgresAsync() => RunAsync("postgres", "start");

    /// <summary>SIGKILL of the broker node's Erlang VM: a crash, not a clean stop (<c>deploy/antq broker kill</c>).</summary>
    public static Task KillBrokerAsync() => RunAsync("broker", "kill");

    /// <summary>SIGKILL of PostgreSQL's postmaster, returning once its backends are gone (<c>deploy/antq postgres kill</c>).</summary>
    public static Task KillPostgresAsync() => RunAsync("postgres", "kill");

    /// <summary>Runs <c>deploy/antq ARGS</c>; throws with its output when it fails or takes more than 90 s.</summary>
    public static async Task RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(TestEnvironment.Root, "deploy", "antq"))
        {
            WorkingDirectory = TestEnvironment.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (Environment.GetEnvironmentVariable("ANTQ_TEST_STATE") is { } state) start.Environment["ANTQ_STATE_DIR"] = state;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("deploy/antq did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/antq {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
