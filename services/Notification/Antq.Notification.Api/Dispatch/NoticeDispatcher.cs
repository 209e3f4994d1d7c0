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
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await RunRoundAsync(stoppingToken);
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

    /// <summary>One round of the three steps; true when a step filled its batch and more may be waiting.</summary>
    public async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        var batch = options.Value.Dispatcher.BatchSize;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var planned = await services.GetRequiredService<SchedulePlanner>().PlanOnceAsync(batch, ct);
        var fired = await services.GetRequiredService<NoticeFiring>().FireDueAsync(batch, ct);
        var sent = await services.GetRequiredService<DeliverySender>().SendDueAsync(ct);
        return planned >= batch || fired >= batch || sent >= batch;
    }
}
