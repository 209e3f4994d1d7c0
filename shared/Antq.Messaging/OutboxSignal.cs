namespace Antq.Messaging;

/// <summary>
/// Wakes the outbox dispatcher when a transaction that wrote outbox rows commits, so a message leaves in milliseconds;
/// the dispatcher's slow poll (<see cref="OutboxOptions.PollInterval"/>) is only a safety net.
/// </summary>
public sealed class OutboxSignal : CommitSignal;
