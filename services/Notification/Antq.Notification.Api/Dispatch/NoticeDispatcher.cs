using Antq.Messaging;
using Antq.Notification.Api.Data;
using Antq.Notification.Api.Digests;
using Antq.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Dispatch;

/// <summary>
/// The notification engine's loops, several per replica: replan schedules whose deadline or policy changed, send the
/// notices that fell due (late ones too, after a stop), then the deliveries that are due. All state is in the database
/// and every step locks what it takes with <c>SKIP LOCKED</c>, so any number of replicas may run.
/// Between rounds a loop sleeps until the earliest due time of its work (one cheap statement), until a commit of this
/// replica writes notices, deliveries, deadlines or policies (<see cref="DispatchSignal"/>), or for the safety poll
/// (<see cref="DispatcherSettings.PollInterval"/>), whichever is first: idle, a replica asks the database a handful of
/// statements per poll, not several a second.
/// </summary>
public sealed class NoticeDispatcher(IServiceScopeFactory scopes, DispatchSignal signal, OutboxSignal outbox, WebhookLanes lanes,
    IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NoticeDispatcher> logger) : BackgroundService
{
    /// <summary>How soon a loop looks again after a failed round, or at work that was due but not taken (another loop or replica had it).</summary>
    static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

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
        // Webhook lanes still sending finish and record what they sent (each request is bounded by its timeout).
        await lanes.DrainAsync();
    }

    async Task LoopAsync(DispatcherSettings settings, int loop, int loops, CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Sending notices writes no outbox row: its many commits need not wake the outbox dispatcher.
        using var quiet = outbox.Quiet();
        // The first round runs at once: whatever fell due while the service was down goes without waiting.
        var wake = Wake.Due;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before looking: a commit while this round runs wakes the sleep after it.
            var signalled = signal.Next;
            DateTimeOffset? dueAt;
            try
            {
                var look = await LookAsync(wake, loop, loops, stoppingToken);
                if (look.Again)
                {
                    wake = Wake.Due;
                    continue;
                }

                dueAt = look.DueAt;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be restarting or migrating; nothing is lost, the next round takes it up again.
                logger.LogWarning(ex, "Notification round failed; will retry");
                dueAt = clock.GetUtcNow() + Retry;
            }

            try { wake = await DispatchSleep.UntilAsync(signalled, dueAt, settings.PollInterval, clock, ClockCheck(settings), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>After a waking: go again at once (a step filled its batch), or sleep until <see cref="DueAt"/> (null: nothing waits).</summary>
    readonly record struct Look(bool Again, DateTimeOffset? DueAt);

    /// <summary>
    /// What one waking of loop <paramref name="loop"/> does. Woken by its due time, a whole round. Woken by a commit or
    /// the safety poll, the first loop replans what went stale (new deadlines or policies; or, at the poll, those of a
    /// replica that died before planning them), each loop asks when its work is due (a commit may have written another
    /// loop's deliveries only), and a round runs only if that planned something or work is due now.
    /// </summary>
    async Task<Look> LookAsync(Wake wake, int loop, int loops, CancellationToken ct)
    {
        if (wake != Wake.Due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var planned = loop == 0
                ? await scope.ServiceProvider.GetRequiredService<SchedulePlanner>().PlanOnceAsync(options.Value.Dispatcher.BatchSize, ct)
                : 0;
            var earliest = await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().NextDueAsync(loop, loops, lanes.Busy, ct);
            if (planned == 0 && !(earliest <= clock.GetUtcNow())) return new Look(false, earliest);
        }

        if (await RunRoundAsync(ct, loop, loops)) return new Look(true, null);

        await using (var scope = scopes.CreateAsyncScope())
        {
            var next = await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().NextDueAsync(loop, loops, lanes.Busy, ct);
            var now = clock.GetUtcNow();
            // Due yet not taken: another loop or replica holds it (SKIP LOCKED). Its commit wakes this loop; if it was
            // another replica's, look again shortly.
            if (next <= now) next = now + Retry;
            return new Look(false, next);
        }
    }

    /// <summary>
    /// The real clock, and the platform's while it is not shifted, are never moved: a sleep until a due time is exact.
    /// A shifted or fixed platform clock (local mode, journeys) and a test's clock are moved forward by hours or days, so
    /// a sleeping loop reads them every <see cref="DispatcherSettings.ClockCheck"/>.
    /// </summary>
    TimeSpan? ClockCheck(DispatcherSettings settings) => clock switch
    {
        PlatformClock { IsAdjusted: false } => null,
        _ when ReferenceEquals(clock, TimeProvider.System) => null,
        _ => settings.ClockCheck,
    };

    /// <summary>
    /// One round of loop <paramref name="loop"/> of <paramref name="loops"/>: plan (the first loop), fire, send the digests
    /// whose window ended, send its share of the deliveries; true when a step filled its batch and more may be waiting.
    /// </summary>
    public async Task<bool> RunRoundAsync(CancellationToken ct, int loop = 0, int loops = 1)
    {
        var batch = options.Value.Dispatcher.BatchSize;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var planned = loop == 0 ? await services.GetRequiredService<SchedulePlanner>().PlanOnceAsync(batch, ct) : 0;
        var fired = await services.GetRequiredService<NoticeFiring>().FireDueAsync(batch, ct);
        var digests = await services.GetRequiredService<DigestMail>().SendDueAsync(batch, ct);
        var sent = await services.GetRequiredService<DeliverySender>().SendDueAsync(ct, loop, loops);
        return planned >= batch || fired >= batch || digests >= batch || sent >= batch;
    }
}
