namespace Antq.Messaging;

/// <summary>A message written in the same transaction as the state change it announces, published later by the dispatcher.</summary>
public sealed class OutboxMessage
{
    /// <summary>Ordering key: rows are published in the order they were written.</summary>
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

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>A message a consumer has handled; the key (message id, consumer) makes a redelivery change nothing.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    public required string Consumer { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
