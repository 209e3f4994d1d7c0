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
/// A row that cannot be turned into a message (its type no longer resolves, its body does not deserialize) is put
/// back with a growing delay and the round goes on: one bad row must never hold up the rows behind it. A row the
/// broker does not confirm ends the round: the broker is likely down for every row, and the rest wait for the next.
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
            .SqlQuery<DateTimeOffset?>($"SELECT min(next_attempt_at) AS \"Value\" FROM outbox_messages WHERE sent_at IS NULL")
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
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND next_attempt_at <= {now} ORDER BY id LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new Round(0, 0, false);
        }

        var published = 0;
        var brokerFailed = false;
        foreach (var row in rows)
        {
            if (cancellationToken.IsCancellationRequested) break;

            object message;
            Type type;
            try
            {
                (message, type) = Read(row);
            }
            catch (Exception ex)
            {
                // Not the broker's fault and not going to fix itself soon (a replica of an older release may not
                // know a new type yet): back off this row only.
                Fail(row, ex, settings);
                logger.LogError(ex, "Outbox message {MessageId} ({MessageType}) cannot be read; skipped until {NextAttemptAt}, attempt {Attempts}",
                    row.MessageId, row.MessageType, row.NextAttemptAt, row.Attempts);
                continue;
            }

            try
            {
                await PublishAsync(row, message, type, cancellationToken);
                row.SentAt = clock.GetUtcNow();
                row.LastError = null;
                published++;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: this row may or may not have reached the broker; it stays unsent and the inbox absorbs a repeat.
                break;
            }
            catch (Exception ex)
            {
                Fail(row, ex, settings);
                logger.LogWarning(ex, "Publishing outbox message {MessageId} ({MessageType}) failed, attempt {Attempts}",
                    row.MessageId, row.MessageType, row.Attempts);
                // The broker refused or did not answer: the rest of the batch waits for the next round.
                brokerFailed = true;
                break;
            }
        }

        // Not cancellable: rows the broker has confirmed must be recorded as sent even while the host stops.
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return new Round(rows.Count, published, brokerFailed);
    }

    void Fail(OutboxMessage row, Exception ex, OutboxOptions settings)
    {
        row.Attempts++;
        row.LastError = Truncate($"{ex.GetType().Name}: {ex.Message}", 2000);
        row.NextAttemptAt = clock.GetUtcNow() + Backoff(row.Attempts, settings);
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

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        await bus.Publish(message, type, context =>
        {
            context.MessageId = row.MessageId;
            if (Guid.TryParse(row.CorrelationId, out var correlation)) context.CorrelationId = correlation;
        }, timeout.Token);
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
