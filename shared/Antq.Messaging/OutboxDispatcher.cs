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
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await DispatchOnceAsync(stoppingToken);
                await CleanupIfDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be restarting; nothing is lost, the rows stay until the next round.
                logger.LogWarning(ex, "Outbox round of {Context} failed; will retry", typeof(TContext).Name);
                published = 0;
            }

            if (published < settings.BatchSize)
            {
                try { await signal.WaitAsync(settings.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>One round: publishes up to a batch of due rows. Returns how many were published.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
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
            return 0;
        }

        var published = 0;
        foreach (var row in rows)
        {
            try
            {
                await PublishAsync(row, cancellationToken);
                row.SentAt = clock.GetUtcNow();
                row.LastError = null;
                published++;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                row.Attempts++;
                row.LastError = Truncate(ex.Message, 2000);
                row.NextAttemptAt = clock.GetUtcNow() + Backoff(row.Attempts, settings);
                logger.LogWarning(ex, "Publishing outbox message {MessageId} ({MessageType}) failed, attempt {Attempts}",
                    row.MessageId, row.MessageType, row.Attempts);
                // Keep order: when the broker refuses one, the rest of the batch waits for the next round.
                break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return published;
    }

    async Task PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var type = Outbox.ResolveType(row.MessageType)
            ?? throw new InvalidOperationException($"Unknown message type '{row.MessageType}'.");
        var message = JsonSerializer.Deserialize(row.Body, type, Outbox.Json)
            ?? throw new InvalidOperationException($"Empty body for message {row.MessageId}.");

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
