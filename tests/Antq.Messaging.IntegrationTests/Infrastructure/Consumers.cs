using Antq.Testing;
using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>A plain consumer (no inbox): records every delivery, so a message published twice shows twice.</summary>
public sealed class RecordingConsumer(Deliveries deliveries) : IConsumer<ReportFiled>, IConsumer<ItemLoaded>
{
    public Task Consume(ConsumeContext<ReportFiled> context) => Record(context, context.Message);

    public Task Consume(ConsumeContext<ItemLoaded> context) => Record(context, context.Message);

    Task Record(ConsumeContext context, object message)
    {
        deliveries.Add(new Delivery(context.MessageId ?? Guid.Empty, message, Activity.Current?.TraceId.ToString(), null, context.CorrelationId));
        return Task.CompletedTask;
    }
}

/// <summary>An idempotent consumer: increments a counter through the inbox.</summary>
public sealed class CounterConsumer(TestDbContext db, Deliveries deliveries) : IConsumer<CounterIncremented>
{
    public async Task Consume(ConsumeContext<CounterIncremented> context)
    {
        var message = context.Message;
        var messageId = context.MessageId ?? Guid.Empty;
        deliveries.Arrive(messageId);

        bool handled;
        try
        {
            handled = await db.HandleOnceAsync<CounterConsumer>(context, async cancellationToken =>
            {
                if (message.ConcurrentDeliveries > 1)
                {
                    // Hold the inbox key until every copy is in flight, so they really do overlap.
                    var reached = await Eventually.TryAsync(() => deliveries.Arrivals(messageId) >= message.ConcurrentDeliveries,
                        TimeSpan.FromSeconds(15), cancellationToken);
                    deliveries.BarrierReached(messageId, reached);
                }

                if (message.AnnounceByOwnBatch is { } title) await AnnounceByOwnBatchAsync(title, cancellationToken);

                var counter = await db.Counters.FindAsync([message.Key], cancellationToken)
                    ?? db.Counters.Add(new Counter { Key = message.Key }).Entity;
                counter.Value++;

                if (deliveries.Failures(message.Key) < message.FailAttempts || message.SwallowFailure)
                {
                    deliveries.Fail(message.Key);
                    throw new InvalidOperationException($"Planned failure for {message.Key}.");
                }
            });
        }
        catch (InvalidOperationException) when (message.SwallowFailure)
        {
            db.Notes.Add(new Note { Id = messageId, Text = $"{message.Key} failed" });
            await db.SaveChangesAsync(context.CancellationToken);
            handled = false;
        }

        deliveries.Add(new Delivery(messageId, message, Activity.Current?.TraceId.ToString(), handled));
    }

    /// <summary>An outbox row made with AddOutboxMessage, then written by a batch of the handler's own on the inbox transaction.</summary>
    async Task AnnounceByOwnBatchAsync(string title, CancellationToken cancellationToken)
    {
        var row = db.AddOutboxMessage(new ReportFiled { ReportId = Guid.NewGuid(), Title = title, OccurredAt = DateTimeOffset.UtcNow });
        db.Entry(row).State = EntityState.Detached;
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new Npgsql.NpgsqlBatch(connection, (Npgsql.NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction());
        var insert = new Npgsql.NpgsqlBatchCommand(
            "INSERT INTO outbox_messages (message_id, message_type, body, created_at, next_attempt_at, attempts) VALUES ($1, $2, $3::jsonb, $4, $4, 0)");
        foreach (var value in new object[] { row.MessageId, row.MessageType, row.Body, row.CreatedAt }) insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Enough concurrency for several copies of one message to be in the handler at once.</summary>
public sealed class CounterConsumerDefinition : ConsumerDefinition<CounterConsumer>
{
    public CounterConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CounterConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = 32;
    }
}
