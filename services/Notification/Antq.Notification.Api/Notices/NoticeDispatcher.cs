using Antq.Messaging;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Notices;

/// <summary>
/// The notification engine's loops, several per replica: replan schedules whose deadline or policy changed, send the
/// notices that fell due (late ones too, after a stop), the digests whose window ended, then the deliveries that are
/// due. All state is in the database and every step locks what it takes with <c>SKIP LOCKED</c>, so any number of
/// replicas may run.
/// <para>
/// Each kind of work wakes only its own step. A commit of this replica that wrote notices wakes the first loop's notice
/// step; one that wrote deliveries, the loops' delivery steps; one that opened a digest, the digest step; deadlines and
/// policies, the planner (<see cref="DispatchSignals"/>). A burst of commits costs one round: a loop woken by a commit
/// waits <see cref="DispatcherSettings.WakeDelay"/> first, and whatever commits meanwhile (or while a round runs) is
/// taken by the round after it, once. Between rounds a loop sleeps until the earliest due time of its work (one cheap
/// statement after a round), until a commit wakes it, or for the safety poll (<see cref="DispatcherSettings.PollInterval"/>),
/// whichever is first: idle, a replica asks the database a handful of statements per poll, not several a second.
/// </para>
/// </summary>
public sealed class NoticeDispatcher(IServiceScopeFactory scopes, DispatchSignals signals, OutboxSignal outbox, WebhookLanes lanes,
    IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NoticeDispatcher> logger) : BackgroundService
{
    /// <summary>How soon a loop looks again after a failed round, or at work that was due but not taken (another loop or replica had it).</summary>
    static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    // The loops' view of the dispatcher's services.
    readonly IServiceScopeFactory scopes = scopes;
    readonly DispatchSignals signals = signals;
    readonly OutboxSignal outbox = outbox;
    readonly WebhookLanes lanes = lanes;
    readonly IOptions<NotificationOptions> options = options;
    readonly TimeProvider clock = clock;
    readonly ILogger<NoticeDispatcher> logger = logger;

    /// <summary>What one round does, kind by kind.</summary>
    [Flags]
    enum Work
    {
        None = 0,
        Plan = 1,
        Notices = 2,
        Digests = 4,
        Deliveries = 8,

        /// <summary>The safety poll: ask the database when each kind is due, plan (the first loop), and run what is due.</summary>
        Look = 16,
        All = Plan | Notices | Digests | Deliveries,
    }

    /// <summary>
    /// What one loop tells the others: a time at which notices fall due that they may not know of (the planner wrote
    /// them, or a closing made more due than one loop's batch). Each loop takes each word once.
    /// </summary>
    readonly Lock board = new();
    readonly CommitSignal told = new();
    long word;
    DateTimeOffset? noticesAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Dispatcher;
        if (!settings.Enabled) return;
        await Task.Yield();
        // Several loops in one replica, like several replicas: a closing makes thousands of notices due at once. Each
        // loop fires notices (taken with SKIP LOCKED, so they share them) and sends its own share of the deliveries (a
        // delivery in flight is never taken by another loop of this replica, even if its lease seems to have run out).
        // The first loop alone plans schedules (planners would all pick the same stale ones and wait on each other),
        // sends digests (a few per window) and hears of new notices (one loop is enough for a submission's notice).
        var loops = Math.Max(1, settings.Parallelism);
        await Task.WhenAll(Enumerable.Range(0, loops).Select(i => new Loop(this, settings, i, loops).RunAsync(stoppingToken)));
        // Webhook lanes still sending finish and record what they sent (each request is bounded by its timeout).
        await lanes.DrainAsync();
    }

    void Tell(DateTimeOffset at)
    {
        lock (board)
        {
            word++;
            noticesAt = at;
        }

        told.Notify();
    }

    (long Word, DateTimeOffset? At) LastWord()
    {
        lock (board) return (word, noticesAt);
    }

    /// <summary>One dispatching loop: its own view of when each kind of its work falls due.</summary>
    sealed class Loop(NoticeDispatcher dispatcher, DispatcherSettings settings, int index, int count)
    {
        DateTimeOffset? notices, digests, deliveries, retryAt;
        Work retry;
        long heard;

        bool First => index == 0;

        public async Task RunAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            // Sending notices writes no outbox row: its many commits need not wake the outbox dispatcher.
            using var quiet = dispatcher.outbox.Quiet();
            // The first round runs at once: whatever fell due while the service was down goes without waiting.
            var work = Work.All | Work.Look;
            while (!stoppingToken.IsCancellationRequested)
            {
                // Taken before the round: a commit while it runs wakes the sleep after it.
                var listening = Listen();
                if (work != Work.None)
                {
                    try
                    {
                        var more = await RoundAsync(work, stoppingToken);
                        if (more != Work.None)
                        {
                            // A step filled its batch: straight on with it, and with whatever a commit asked for meanwhile.
                            work = more | Heard(listening);
                            continue;
                        }
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        // The database may be restarting or migrating; nothing is lost, the next round takes it up again.
                        dispatcher.logger.LogWarning(ex, "Notification round failed; will retry");
                        Postpone(work, dispatcher.clock.GetUtcNow() + Retry);
                    }
                }

                Wake wake;
                try
                {
                    TakeWord();
                    wake = await DispatchSleep.UntilAsync(Task.WhenAny(listening.Select(l => l.Next)), Earliest(), settings.PollInterval,
                        dispatcher.clock, dispatcher.ClockCheck(settings), stoppingToken);
                    // Woken by a commit: a short wait gathers the burst it belongs to into one round.
                    if (wake == Wake.Signalled && settings.WakeDelay > TimeSpan.Zero && Heard(listening) != Work.None)
                        await Task.Delay(settings.WakeDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                TakeWord();
                work = wake == Wake.Poll ? Work.Look : Heard(listening) | Due();
            }
        }

        /// <summary>The signals this loop listens to, each with the task its next notification completes.</summary>
        List<(Work Kind, Task Next)> Listen()
        {
            var signals = dispatcher.signals;
            var listening = new List<(Work, Task)> { (Work.Deliveries, signals.Deliveries.Next), (Work.None, dispatcher.told.Next) };
            if (First)
            {
                listening.Add((Work.Notices, signals.Notices.Next));
                listening.Add((Work.Digests, signals.Digests.Next));
                listening.Add((Work.Plan, signals.Plans.Next));
            }

            return listening;
        }

        static Work Heard(List<(Work Kind, Task Next)> listening)
        {
            var work = Work.None;
            foreach (var (kind, next) in listening)
            {
                if (next.IsCompleted) work |= kind;
            }

            return work;
        }

        /// <summary>Another loop's word: notices due at a time this loop may not know of.</summary>
        void TakeWord()
        {
            var (word, at) = dispatcher.LastWord();
            if (word == heard) return;
            heard = word;
            if (at is { } told && !(notices <= told)) notices = told;
        }

        /// <summary>After a failed round: that work again at <paramref name="until"/>, and nothing due before it (no round after round against a database that is down).</summary>
        void Postpone(Work work, DateTimeOffset until)
        {
            retry |= work;
            retryAt = until;
            if (notices <= until) notices = until;
            if (digests <= until) digests = until;
            if (deliveries <= until) deliveries = until;
        }

        DateTimeOffset? Earliest() => Min(Min(Min(notices, First ? digests : null), deliveries), retry != Work.None ? retryAt : null);

        /// <summary>The kinds whose due time has come.</summary>
        Work Due()
        {
            var now = dispatcher.clock.GetUtcNow();
            var work = Work.None;
            if (notices <= now) work |= Work.Notices;
            if (First && digests <= now) work |= Work.Digests;
            if (deliveries <= now) work |= Work.Deliveries;
            if (retry != Work.None && retryAt <= now)
            {
                work |= retry;
                retry = Work.None;
                retryAt = null;
            }

            return work;
        }

        /// <summary>
        /// One round: the steps of <paramref name="work"/> (a safety poll first asks when each kind is due and runs only
        /// what is due now), then one look at when this loop's work falls due next. Returns the kinds that filled their
        /// batch (more may be waiting), or none.
        /// </summary>
        async Task<Work> RoundAsync(Work work, CancellationToken ct)
        {
            var batch = settings.BatchSize;
            var more = Work.None;
            var queued = 0;
            var opened = false;
            await using (var scope = dispatcher.scopes.CreateAsyncScope())
            {
                var services = scope.ServiceProvider;
                var db = services.GetRequiredService<NotificationDbContext>();
                // The loop's own writes wake nobody; what they leave for another kind is said below.
                using (dispatcher.signals.Quiet())
                {
                    if ((work & Work.Look) != 0)
                    {
                        // The poll also catches what only another replica knows of: its stale schedules, its crash mid-send.
                        work &= ~Work.Look;
                        if (First) work |= Work.Plan;
                        Learn(await db.NextDueAsync(index, count, dispatcher.lanes.Busy, ct));
                        work |= Due();
                    }

                    if (!First) work &= ~(Work.Plan | Work.Digests);
                    if ((work & Work.Plan) != 0)
                    {
                        var planned = await services.GetRequiredService<SchedulePlanner>().PlanOnceAsync(batch, ct);
                        if (planned >= batch) more |= Work.Plan;
                        // New reminders, and notices of a deadline already passed that are due now.
                        if (planned > 0) work |= Work.Notices;
                    }

                    if ((work & Work.Notices) != 0)
                    {
                        var firing = services.GetRequiredService<NoticeFiring>();
                        if (await firing.FireDueAsync(batch, ct) >= batch) more |= Work.Notices;
                        queued += firing.DeliveriesQueued;
                        // A digest opened by another loop than the first: the first sends digests, and learns of it so.
                        if (!First && firing.DigestsOpened > 0) opened = true;
                    }

                    if ((work & Work.Digests) != 0)
                    {
                        if (await services.GetRequiredService<DigestMail>().SendDueAsync(batch, ct) >= batch) more |= Work.Digests;
                    }

                    queued += services.GetRequiredService<DigestMail>().DeliveriesQueued;
                    if ((work & Work.Deliveries) != 0)
                    {
                        if (await services.GetRequiredService<DeliverySender>().SendDueAsync(ct, index, count) >= batch) more |= Work.Deliveries;
                    }

                    if (more == Work.None && (work & (Work.Notices | Work.Digests | Work.Deliveries)) != Work.None)
                    {
                        // Due yet not taken: another loop or replica holds it (SKIP LOCKED). Its commit or its word wakes
                        // this loop; if it was another replica's, look again shortly.
                        var ran = work;
                        Learn(await db.NextDueAsync(index, count, dispatcher.lanes.Busy, ct));
                        var now = dispatcher.clock.GetUtcNow();
                        if ((ran & Work.Notices) != 0 && notices <= now) notices = now + Retry;
                        if ((ran & Work.Digests) != 0 && digests <= now) digests = now + Retry;
                        if ((ran & Work.Deliveries) != 0 && deliveries <= now) deliveries = now + Retry;
                    }
                }
            }

            // Deliveries written by this round (e-mails of notices and digests) go to every loop's share.
            if (queued > 0) dispatcher.signals.Deliveries.Notify();
            if (opened) dispatcher.signals.Digests.Notify();
            // A closing: more notices due than one loop's batch; the other loops join in.
            if ((more & Work.Notices) != 0) dispatcher.Tell(dispatcher.clock.GetUtcNow());
            return more;
        }

        /// <summary>Takes what the database said is due; notices due earlier than the others may know are told to them.</summary>
        void Learn(NextDue next)
        {
            var before = notices;
            notices = next.Notices;
            digests = next.Digests;
            deliveries = next.Deliveries;
            var now = dispatcher.clock.GetUtcNow();
            if (notices is { } at && at > now && !(before <= at)) dispatcher.Tell(at);
        }

        static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
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
}
