using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Antq.Messaging;

/// <summary>Writing to the outbox: the message becomes a row that commits or rolls back with the change it announces.</summary>
public static class Outbox
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    static readonly ConcurrentDictionary<string, Type?> Types = new();

    /// <summary>
    /// Adds <paramref name="message"/> to the outbox of <paramref name="db"/>. It is saved by the next
    /// <c>SaveChanges</c> and published after that transaction commits; never before, never without it.
    /// The message is stored and published as its runtime type, whatever the static type of the reference.
    /// </summary>
    public static OutboxMessage AddOutboxMessage<T>(this DbContext db, T message, TimeProvider? clock = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        // Not typeof(T): a message passed as object or as an interface would be stored as that type, which
        // cannot be deserialized into anything a consumer subscribes to.
        var type = message.GetType();
        var now = (clock ?? ClockOf(db)).GetUtcNow();
        var row = new OutboxMessage
        {
            MessageId = NewId.NextGuid(),
            MessageType = TypeName(type),
            Body = JsonSerializer.Serialize(message, type, Json),
            TraceParent = Activity.Current?.Id,
            CorrelationId = CorrelationIdOf(Activity.Current),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Set<OutboxMessage>().Add(row);
        Inbox.InboxFlow.OutboxRowAdded();
        return row;
    }

    /// <summary>
    /// The application's clock (the platform's, which tests and local seasons shift) when the context was made by the
    /// application's container; the system clock otherwise. The dispatcher compares a row's due time with the same
    /// clock, so a row stamped by another clock could wait years.
    /// </summary>
    static TimeProvider ClockOf(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(TimeProvider)) as TimeProvider
        ?? TimeProvider.System;

    /// <summary>
    /// The request's correlation id, tagged on the request's activity. The row may be written inside a child span
    /// (a domain operation, a database call), whose own tags do not carry it: look up the chain.
    /// </summary>
    static string? CorrelationIdOf(Activity? activity)
    {
        for (; activity is not null; activity = activity.Parent)
        {
            if (activity.GetTagItem("antq.correlation_id") is string id) return id;
        }

        return null;
    }

    internal static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    internal static Type? ResolveType(string name) => Types.GetOrAdd(name, n => Type.GetType(n, throwOnError: false));
}
