using System.Diagnostics;
using Antq.Testing;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>Stops and starts the real local RabbitMQ node through <c>deploy/antq broker stop|start</c>.</summary>
public static class Broker
{
    public static Task StopAsync() => RunAsync("stop");

    public static Task StartAsync() => RunAsync("start");

    static async Task RunAsync(string verb)
    {
        var start = new ProcessStartInfo(Path.Combine(TestEnvironment.Root, "deploy", "antq"))
        {
            ArgumentList = { "broker", verb },
            WorkingDirectory = TestEnvironment.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("deploy/antq did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/antq broker {verb} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
