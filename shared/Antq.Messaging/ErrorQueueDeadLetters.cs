using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Antq.Messaging;

/// <summary>The receive queues of this process's consumers, as the bus configured them (filled when the bus starts).</summary>
public sealed class ReceiveQueues
{
    readonly ConcurrentDictionary<string, bool> names = new();

    public void Add(string queue) => names[queue] = true;

    public IReadOnlyList<string> All => names.Keys.Order().ToList();
}

/// <summary>
/// The messages in this service's consumers' <c>_error</c> queues as dead letters, read over AMQP without losing any:
/// each message is fetched unacknowledged (<c>basic.get</c>), and everything not sent back is returned to its queue
/// (<c>basic.nack</c> with requeue) before the channel closes; a crash in between returns them too. A redrive publishes
/// the message, body and headers as they are, to its own queue (the default exchange, publisher confirms) and only
/// then removes it from <c>_error</c>. What happened is in the headers MassTransit wrote when it moved the message
/// (<c>MT-Fault-ExceptionType</c>, <c>MT-Fault-Message</c>, <c>MT-Fault-Timestamp</c>).
/// </summary>
public sealed class ErrorQueueDeadLetters(Uri amqp, ReceiveQueues queues) : IDeadLetterSource
{
    /// <summary>At most this many messages are read from one queue per call.</summary>
    public const int MaxPerQueue = 5000;

    public string Kind => "queue";

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string service, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await WalkAsync(async (channel, queue, message) =>
        {
            letters.Add(Describe(service, queue, message));
            return false;
        }, cancellationToken);
        return letters;
    }

    public async Task<int> RedriveAsync(string service, string? key, CancellationToken cancellationToken)
    {
        var redriven = 0;
        await WalkAsync(async (channel, queue, message) =>
        {
            var letter = Describe(service, queue, message);
            if (key is not null && letter.Id != $"{service}:{Kind}:{key}") return false;
            var properties = new BasicProperties(message.BasicProperties) { Persistent = true };
            await channel.BasicPublishAsync("", queue, true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, false, cancellationToken);
            redriven++;
            return true;
        }, cancellationToken);
        return redriven;
    }

    /// <summary>Visits every message of every <c>_error</c> queue; a visit returning false leaves the message where it was.</summary>
    async Task WalkAsync(Func<IChannel, string, BasicGetResult, Task<bool>> visit, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = amqp, ClientProvidedName = "antq-dead-letters" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        foreach (var queue in queues.All)
        {
            var errorQueue = queue + "_error";
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true), cancellationToken);
            try
            {
                await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                continue; // never created: nothing ever failed there
            }

            ulong? lastKept = null;
            for (var i = 0; i < MaxPerQueue; i++)
            {
                var message = await channel.BasicGetAsync(errorQueue, false, cancellationToken);
                if (message is null) break;
                if (!await visit(channel, queue, message)) lastKept = message.DeliveryTag;
            }

            if (lastKept is { } tag) await channel.BasicNackAsync(tag, true, true, cancellationToken);
            await channel.CloseAsync(cancellationToken);
        }
    }

    static DeadLetter Describe(string service, string queue, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers;
        string? Header(string name) => headers is not null && headers.TryGetValue(name, out var value)
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;

        Guid? messageId = Guid.TryParse(message.BasicProperties.MessageId, out var parsed) ? parsed : null;
        string? type = null;
        try
        {
            using var body = JsonDocument.Parse(message.Body);
            if (body.RootElement.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0)
                type = types[0].GetString();
            if (messageId is null && body.RootElement.TryGetProperty("messageId", out var id) && id.TryGetGuid(out var bodyId)) messageId = bodyId;
        }
        catch (JsonException)
        {
            // A body that is not a MassTransit envelope: listed as it is, by its delivery.
        }

        var reason = Header("MT-Fault-ExceptionType") is { } exception ? $"{exception}: {Header("MT-Fault-Message")}" : Header("MT-Reason");
        DateTimeOffset? since = DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), out var at) ? at : null;
        var key = messageId?.ToString() ?? $"delivery-{message.DeliveryTag}";
        return new DeadLetter($"{service}:queue:{queue}:{key}", service, "queue", queue + "_error", MessagingMetrics.ShortType(type), messageId,
            reason, since, null);
    }
}
