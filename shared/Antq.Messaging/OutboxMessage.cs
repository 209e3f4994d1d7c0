namespace Antq.Messaging;

/// <summary>A message written in the same transaction as the state change it announces, published later by the dispatcher.</summary>
public sealed class OutboxMessage
{
    /// <summary>Ordering key: a round takes rows in the order they were written and starts their publishes in that order (their confirms are awaited together; consumers never rely on order).</summary>
    public long Id { get; set; }

    /// <summary>The MassTransit message id; consumers' inboxes key on it, so a re-publish is harmless.</summary>
    public Guid MessageId { get; set; }

    /// <summary>"Namespace.Type, Assembly" of the contract.</summary>
    public required string MessageType { get; set; }

    public required string Body { get; set; }

    /// <summary>W3C traceparent of the request that wrote the row, so the trace continues across the broker.</summary>
    public string? TraceParent { get; set; }

    public string? CorrelationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Refusals: times the row could not be read or the broker refused it (a broker outage is not counted). At
    /// <see cref="OutboxOptions.MaxRefusals"/> the row is parked: unsent, no longer taken, its <see cref="NextAttemptAt"/>
    /// the time it was parked. A redrive sets it back to 0.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>The last failure, refusal or outage; cleared once the row is sent.</summary>
    public string? LastError { get; set; }
}

/// <summary>A message a consumer has handled; the key (message id, consumer) makes a redelivery change nothing.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public required string Consumer { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
