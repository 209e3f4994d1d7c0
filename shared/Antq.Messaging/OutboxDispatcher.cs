using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Antq.Messaging;

/// <summary>
/// Publishes outbox rows of <typeparamref name="TContext"/> with publisher confirms and marks them sent.
/// Each round locks its rows with <c>FOR UPDATE SKIP LOCKED</c>, so any number of replicas can run: a row is
/// published by one of them at a time. A crash between the broker's confirm and the commit leaves the row unsent and
/// it is published again with the same message id, which consumers' inboxes drop.
/// The rows of a round are published together, their confirms awaited together (<see cref="RunRoundAsync"/>).
/// A row that cannot be turned into a message (its type no longer resolves, its body does not deserialize) or that the
/// broker refuses is put back with a growing delay and the round goes on: one bad row must never hold up the rows
/// behind it; after <see cref="OutboxOptions.MaxRefusals"/> refusals it is parked (a dead letter, kept until redriven,
/// <see cref="OutboxDeadLetters{TContext}"/>). A row the broker does not confirm in time (it is down) is not charged: it
/// waits for the next round, with a delay that grows while the outage lasts.
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    static readonly ActivitySource Source = new("Antq.Messaging");

    DateTimeOffset nextCleanup = DateTimeOffset.MinValue;

    /// <summary>Rounds in a row in which the broker did not confirm: the delay before the next grows with it.</summary>
    int outageRounds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var clockCheck = DispatchSleep.ClockCheckFor(clock, DispatchSleep.DefaultClockCheck);
        // The first round runs at once: rows left unsent by a crash or a deployment go without waiting for anything.
        var wake = Wake.Due;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before looking: a commit while this round runs wakes the sleep after it.
            var signalled = signal.Next;
            DateTimeOffset? dueAt;
            try
            {
                var look = await LookAsync(wake, settings, stoppingToken);
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
                // The database may be restarting; nothing is lost, the rows stay until the next round.
                logger.LogWarning(ex, "Outbox round of {Context} failed; will retry", typeof(TContext).Name);
                dueAt = clock.GetUtcNow() + Min(settings.FirstRetryDelay, settings.PollInterval);
            }

            try { wake = await DispatchSleep.UntilAsync(signalled, dueAt, settings.PollInterval, clock, clockCheck, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>After a waking: go again at once (a full batch was published, more are likely due), or sleep until <see cref="DueAt"/> (null: no row waits).</summary>
    readonly record struct Look(bool Again, DateTimeOffset? DueAt);

    /// <summary>
    /// What one waking does. Woken by the safety poll, it first asks when the earliest unsent row is due (one cheap
    /// statement) and runs a round only if one is due now; woken by a commit or a due time, it runs a round at once.
    /// </summary>
    async Task<Look> LookAsync(Wake wake, OutboxOptions settings, CancellationToken cancellationToken)
    {
        await CleanupIfDueAsync(cancellationToken);
        if (wake == Wake.Poll)
        {
            var earliest = await NextDueAsync(cancellationToken);
            if (earliest is null || earliest > clock.GetUtcNow()) return new Look(false, earliest);
        }

        var round = await RunRoundAsync(cancellationToken);
        if (round.Taken >= settings.BatchSize && !round.BrokerFailed) return new Look(true, null);

        var next = await NextDueAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // Due yet not taken: another replica's round holds them (SKIP LOCKED), or the broker failed mid-batch. Look
        // again shortly, not at once; a commit still wakes the sleep.
        if (next <= now) next = now + Min(settings.FirstRetryDelay, settings.PollInterval);
        return new Look(false, next);
    }

    /// <summary>When the earliest unsent row is due (the pending index's first entry); null when every row is sent.</summary>
    async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Database
            .SqlQuery<DateTimeOffset?>($"SELECT min(next_attempt_at) AS \"Value\" FROM outbox_messages WHERE sent_at IS NULL AND attempts < {options.Value.MaxRefusals}")
            .SingleAsync(cancellationToken);
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// One round: publishes up to a batch of due rows. Returns how many were published. When
    /// <paramref name="cancellationToken"/> fires mid-round, the rows the broker has already confirmed are still
    /// marked sent before the <see cref="OperationCanceledException"/> is thrown, so a shutdown does not publish them again.
    /// </summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken) =>
        (await RunRoundAsync(cancellationToken)).Published;

    readonly record struct Round(int Taken, int Published, bool BrokerFailed);

    /// <summary>
    /// Takes a batch of due rows (locked, in id order), starts every publish of the batch in that order without waiting
    /// for the one before, then awaits all the broker's confirms (at most <see cref="OutboxOptions.PublishTimeout"/>
    /// for the batch): one confirm round trip per batch rather than per row. Each row is then settled on its own:
    /// confirmed, it is marked sent; refused, it is charged a refusal; not confirmed in time (the broker is down or
    /// unreachable), it waits for the next round uncharged. All of it in the round's transaction, in two statements.
    /// </summary>
    async Task<Round> RunRoundAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Its own commit (rows marked sent) must not wake it for another round.
        using var quiet = signal.Quiet();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var rows = await db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND next_attempt_at <= {now} AND attempts < {settings.MaxRefusals} ORDER BY id LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new Round(0, 0, false);
        }

        var publishes = new Task?[rows.Count];
        var failures = new Exception?[rows.Count];
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(settings.PublishTimeout);
            for (var i = 0; i < rows.Count; i++)
            {
                try
                {
                    var (message, type) = Read(rows[i]);
                    publishes[i] = PublishAsync(rows[i], message, type, timeout.Token);
                }
                catch (Exception ex)
                {
                    // Not the broker's fault and not going to fix itself soon (a replica of an older release may not
                    // know a new type yet): this row is refused, the others go on.
                    failures[i] = ex;
                }
            }

            try { await Task.WhenAll(publishes.OfType<Task>()); }
            catch { /* each publish is looked at below */ }
        }

        var sent = new List<long>(rows.Count);
        var failed = new List<OutboxMessage>();
        var brokerFailed = false;
        now = clock.GetUtcNow();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (publishes[i] is { IsCompletedSuccessfully: true })
            {
                sent.Add(row.Id);
                continue;
            }

            var exception = failures[i] ?? publishes[i]!.Exception?.GetBaseException() ?? new OperationCanceledException("The publish was cancelled.");
            if (failures[i] is null && cancellationToken.IsCancellationRequested && exception is OperationCanceledException)
            {
                // Stopping: this row may or may not have reached the broker; it stays as it was and the inbox absorbs a repeat.
                continue;
            }

            row.LastError = Truncate($"{exception.GetType().Name}: {exception.Message}", 2000);
            if (failures[i] is null && (exception is OperationCanceledException || TransientFailure.IsTransient(exception)))
            {
                // Not confirmed in time, or the connection is gone: the broker is likely down for every row. No refusal
                // is charged (an outage of any length parks nothing); the row waits for the next round.
                brokerFailed = true;
                row.NextAttemptAt = now + Backoff(outageRounds + 1, settings);
                logger.LogWarning(exception, "Publishing outbox message {MessageId} ({MessageType}) failed; the broker is unavailable", row.MessageId, row.MessageType);
            }
            else
            {
                Refuse(row, exception, settings, now);
            }

            failed.Add(row);
        }

        outageRounds = brokerFailed ? outageRounds + 1 : 0;
        // Not cancellable: rows the broker has confirmed must be recorded as sent even while the host stops.
        if (sent.Count > 0)
        {
            var sentIds = sent.ToArray();
            await db.Database.ExecuteSqlAsync(
                $"UPDATE outbox_messages SET sent_at = {now}, last_error = NULL WHERE id = ANY({sentIds})", CancellationToken.None);
        }

        if (failed.Count > 0)
        {
            var ids = failed.Select(r => r.Id).ToArray();
            var attempts = failed.Select(r => r.Attempts).ToArray();
            var errors = failed.Select(r => r.LastError).ToArray();
            var next = failed.Select(r => r.NextAttemptAt).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE outbox_messages o SET attempts = f.attempts, last_error = f.error, next_attempt_at = f.next
                FROM unnest({ids}, {attempts}, {errors}, {next}) AS f(id, attempts, error, next) WHERE o.id = f.id
                """, CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return new Round(rows.Count, sent.Count, brokerFailed);
    }

    /// <summary>
    /// A failure of the row's own (it cannot be read, or the broker refused it): charged, put back with a growing
    /// delay, and parked at <see cref="OutboxOptions.MaxRefusals"/> (kept, never taken by a round again, listed as a
    /// dead letter until redriven). A parked row's next attempt time is when it was parked.
    /// </summary>
    void Refuse(OutboxMessage row, Exception ex, OutboxOptions settings, DateTimeOffset now)
    {
        row.Attempts++;
        var parked = row.Attempts >= settings.MaxRefusals;
        row.NextAttemptAt = parked ? now : now + Backoff(row.Attempts, settings);
        MessagingMetrics.OutboxRefused(typeof(TContext).Name, MessagingMetrics.ShortType(row.MessageType), parked);
        if (parked)
        {
            logger.LogError(ex, "Outbox message {MessageId} ({MessageType}) refused {Attempts} times; parked until an administrator redrives it",
                row.MessageId, row.MessageType, row.Attempts);
        }
        else
        {
            logger.LogError(ex, "Outbox message {MessageId} ({MessageType}) refused; retried at {NextAttemptAt}, refusal {Attempts} of {MaxRefusals}",
                row.MessageId, row.MessageType, row.NextAttemptAt, row.Attempts, settings.MaxRefusals);
        }
    }

    static (object Message, Type Type) Read(OutboxMessage row)
    {
        var type = Outbox.ResolveType(row.MessageType)
            ?? throw new InvalidOperationException($"Unknown message type '{row.MessageType}'.");
        var message = JsonSerializer.Deserialize(row.Body, type, Outbox.Json)
            ?? throw new InvalidOperationException($"Empty body for message {row.MessageId}.");
        return (message, type);
    }

    async Task PublishAsync(OutboxMessage row, object message, Type type, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        using var activity = Source.StartActivity($"outbox publish {type.Name}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.message.id", row.MessageId);
        if (row.CorrelationId is not null) activity?.SetTag("antq.correlation_id", row.CorrelationId);

        await bus.Publish(message, type, context =>
        {
            context.MessageId = row.MessageId;
            if (Guid.TryParse(row.CorrelationId, out var correlation)) context.CorrelationId = correlation;
        }, cancellationToken);
    }

    async Task CleanupIfDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < nextCleanup) return;
        nextCleanup = now + options.Value.CleanupInterval;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var before = now - options.Value.Retention;
        await db.Database.ExecuteSqlAsync($"DELETE FROM outbox_messages WHERE sent_at < {before}", cancellationToken);
        await db.Database.ExecuteSqlAsync($"DELETE FROM inbox_messages WHERE processed_at < {before}", cancellationToken);
    }

    static TimeSpan Backoff(int attempts, OutboxOptions settings)
    {
        var seconds = settings.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 16));
        return TimeSpan.FromSeconds(Math.Min(seconds, settings.MaxRetryDelay.TotalSeconds));
    }

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
