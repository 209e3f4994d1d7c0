using Antq.Testing.Faults;
using Xunit.Abstractions;

namespace Antq.Faults.Tests;

/// <summary>
/// The short fault run (<c>deploy/antq bench --faults</c> runs the long one): about a minute and a half of commune
/// submissions through the gateway while RabbitMQ is stopped and started, PostgreSQL is stopped and started, and each
/// service and the gateway are killed with SIGKILL and started again.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Broker_database_and_process_failures_lose_nothing_and_double_nothing()
    {
        var result = await FaultRun.RunAsync(new FaultRunOptions
        {
            SubmissionsPerSecond = 6,
            Down = TimeSpan.FromSeconds(3),
            Between = TimeSpan.FromSeconds(3),
            Log = line => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}"),
        });

        output.WriteLine(result.ToString());
        Assert.True(result.Faults.Count == 8, $"the schedule did not run to its end: {string.Join("; ", result.Faults)}");
        // The run means something only if submissions went through while things broke and were retried.
        Assert.True(result.Submitted + result.FoundSubmitted > 200, result.ToString());
        Assert.True(result.Retries > 0, "no request was ever retried: the faults did not reach the clients");
        Assert.True(result.Problems.Count == 0, string.Join("\n", result.Problems));
    }
}
