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

        // The commit wakes the outbox dispatcher only if the handler wrote outbox rows (see InboxFlow).
        using var flow = InboxFlow.Begin();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, now()) ON CONFLICT DO NOTHING",
            cancellationToken);
        if (inserted == 0)
        {
            MessagingMetrics.InboxDuplicateSkipped(consumer);
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

    /// <summary>
    /// The flow of one inbox transaction. A commit of any transaction wakes the outbox dispatcher (a store may write
    /// outbox rows with its own batches, which interception cannot see: <see cref="CommitWatch.EveryCommit"/>); a
    /// consumer's inbox transaction that wrote no outbox row (<see cref="Outbox.AddOutboxMessage{T}"/>, the only way rows
    /// are made, marks the flow) wakes nothing: while a consumer handles hundreds of messages a second, the dispatcher
    /// would otherwise run an empty round after each.
    /// </summary>
    internal sealed class InboxFlow : IDisposable
    {
        static readonly AsyncLocal<InboxFlow?> Current = new();
        readonly InboxFlow? outer;
        bool wroteOutbox;

        InboxFlow(InboxFlow? outer) => this.outer = outer;

        public static InboxFlow Begin() => Current.Value = new InboxFlow(Current.Value);

        /// <summary>Called when an outbox row is added in this flow.</summary>
        public static void OutboxRowAdded()
        {
            for (var flow = Current.Value; flow is not null; flow = flow.outer) flow.wroteOutbox = true;
        }

        /// <summary>True inside an inbox transaction that has written no outbox row: its commit need not wake the dispatcher.</summary>
        public static bool WakesNothing => Current.Value is { wroteOutbox: false };

        public void Dispose() => Current.Value = outer;
    }

    /// <summary>The consumer's name in the inbox: its type name, stable across releases unless the class is renamed.</summary>
    public static Task<bool> HandleOnceAsync<TConsumer>(this DbContext db, ConsumeContext context, Func<CancellationToken, Task> handle) =>
        db.HandleOnceAsync(context, typeof(TConsumer).Name, handle);
}
