using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Dispatch;

/// <summary>
/// The notification engine's loop, one per replica: replan schedules whose deadline or policy changed, send the notices
/// that fell due (late ones too, after a stop), then the deliveries that are due. All state is in the database and every
/// step locks what it takes with <c>SKIP LOCKED</c>, so any number of replicas may run.
/// </summary>
public sealed class NoticeDispatcher(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<NoticeDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Dispatcher;
        if (!settings.Enabled) return;
        await Task.Yield();
        // Several loops in one replica, like several replicas: a closing makes thousands of notices due at once. Each
        // loop fires notices (taken with SKIP LOCKED, so they share them) and sends its own share of the deliveries (a
        // delivery in flight is never taken by another loop of this replica, even if its lease seems to have run out).
        // The first loop alone plans schedules: planners would all pick the same stale ones and wait on each other.
        var loops = Math.Max(1, settings.Parallelism);
        await Task.WhenAll(Enumerable.Range(0, loops).Select(i => LoopAsync(settings, i, loops, stoppingToken)));
    }

    async Task LoopAsync(DispatcherSettings settings, int loop, int loops, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await RunRoundAsync(stoppingToken, loop, loops);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be restarting or migrating; nothing is lost, the next round takes it up again.
                logger.LogWarning(ex, "Notification round failed; will retry");
            }

            if (busy) continue;
            try { await Task.Delay(settings.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// One round of loop <paramref name="loop"/> of <paramref name="loops"/>: plan (the first loop), fire, send its share
    /// of the deliveries; true when a step filled its batch and more may be waiting.
    /// </summary>
    public async Task<bool> RunRoundAsync(CancellationToken ct, int loop = 0, int loops = 1)
    {
        var batch = options.Value.Dispatcher.BatchSize;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var planned = loop == 0 ? await services.GetRequiredService<SchedulePlanner>().PlanOnceAsync(batch, ct) : 0;
        var fired = await services.GetRequiredService<NoticeFiring>().FireDueAsync(batch, ct);
        var sent = await services.GetRequiredService<DeliverySender>().SendDueAsync(ct, loop, loops);
        return planned >= batch || fired >= batch || sent >= batch;
    }
}
