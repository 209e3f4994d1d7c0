using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Contracts.Reporting;
using Antq.Testing;
using MassTransit;

namespace Antq.Bench;

/// <summary>
/// Hears Reporting's <see cref="RollupChanged"/> as a portal replica does: a temporary queue of its own on the platform's
/// virtual host, bound to the same exchange. Records when each unit's change arrived (Stopwatch ticks), so the freshness
/// step can time a submission to the moment a board would hear of it and read it again.
/// </summary>
sealed class BoardListener : IAsyncDisposable
{
    readonly IBusControl bus;
    readonly ConcurrentDictionary<(string Period, string Unit), TaskCompletionSource<long>> waiting = new();

    BoardListener(IBusControl bus) => this.bus = bus;

    public static async Task<BoardListener> StartAsync(string virtualHost)
    {
        BoardListener? listener = null;
        var uri = new Uri($"{TestEnvironment.Amqp}/{Uri.EscapeDataString(virtualHost)}");
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            var user = uri.UserInfo.Split(':');
            rabbit.Host(uri.Host, (ushort)uri.Port, virtualHost, host =>
            {
                host.Username(Uri.UnescapeDataString(user[0]));
                host.Password(user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "");
            });
            // A temporary endpoint (auto-deleted), as the portal's replicas have.
            rabbit.ReceiveEndpoint(endpoint => endpoint.Handler<RollupChanged>(context =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var unit in context.Message.OrgUnitCodes)
                    if (listener!.waiting.TryRemove((context.Message.Period, unit), out var heard)) heard.TrySetResult(now);
                return Task.CompletedTask;
            }));
        });
        listener = new BoardListener(bus);
        await bus.StartAsync();
        return listener;
    }

    /// <summary>Registers interest before the submission; the task completes with the tick the change arrived.</summary>
    public Task<long> Expect(string period, string unit) =>
        waiting.GetOrAdd((period, unit), _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
