using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Messaging;

/// <summary>Writing to the outbox: the message becomes a row that commits or rolls back with the change it announces.</summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    static readonly ConcurrentDictionary<string, Type?> Types = new();

    /// <summary>
    /// Adds <paramref name="message"/> to the outbox of <paramref name="db"/>. It is saved by the next
    /// <c>SaveChanges</c> and published after that transaction commits; never before, never without it.
    /// </summary>
    public static OutboxMessage AddOutboxMessage<T>(this DbContext db, T message, TimeProvider? clock = null)
        where T : class
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var row = new OutboxMessage
        {
            MessageId = NewId.NextGuid(),
            MessageType = TypeName(typeof(T)),
            Body = JsonSerializer.Serialize(message, Json),
            TraceParent = Activity.Current?.Id,
            CorrelationId = Activity.Current?.GetTagItem("antq.correlation_id") as string,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }

    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    internal static Type? ResolveType(string name) => Types.GetOrAdd(name, n => Type.GetType(n, throwOnError: false));
}
