using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Messaging;

/// <summary>Consuming once: the inbox row and the consumer's changes commit together, or not at all.</summary>
public static class Inbox
{
    /// <summary>
    /// Runs <paramref name="handle"/> and saves its changes in one transaction with the inbox row for this message and
    /// consumer. A message already handled by this consumer (a redelivery, a re-publish) is skipped and false is
    /// returned. Two deliveries at once serialize on the inbox key: the second waits, then sees the first's row.
    /// If <paramref name="handle"/> or the save fails, the transaction rolls back, no inbox row remains (so the
    /// redelivery is handled), and the context's change tracker is cleared: nothing it tracked is known to match the
    /// database any more, and a later <c>SaveChanges</c> on the same context must not commit half of the handler's work.
    /// </summary>
    public static async Task<bool> HandleOnceAsync(this DbContext db, ConsumeContext context, string consumer,
        Func<CancellationToken, Task> handle)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without a MessageId cannot be deduplicated.");
        var cancellationToken = context.CancellationToken;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, now()) ON CONFLICT DO NOTHING",
            cancellationToken);
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        try
        {
            await handle(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }

        return true;
    }

    /// <summary>The consumer's name in the inbox: its type name, stable across releases unless the class is renamed.</summary>
    public static Task<bool> HandleOnceAsync<TConsumer>(this DbContext db, ConsumeContext context, Func<CancellationToken, Task> handle) =>
        db.HandleOnceAsync(context, typeof(TConsumer).Name, handle);
}
