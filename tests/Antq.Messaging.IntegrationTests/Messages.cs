namespace Antq.Messaging.IntegrationTests;

/// <summary>Announces a <see cref="Infrastructure.Report"/> written in the same transaction.</summary>
public sealed record ReportFiled
{
    public required Guid ReportId { get; init; }

    public required string Title { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>One of many rows written to load the dispatchers.</summary>
public sealed record ItemLoaded
{
    public required int Batch { get; init; }

    public required int Index { get; init; }
}

/// <summary>
/// Handled through the inbox by <see cref="Infrastructure.CounterConsumer"/>; the fields script how the handler behaves.
/// </summary>
public sealed record CounterIncremented
{
    public required string Key { get; init; }

    /// <summary>The handler throws on this many attempts (after changing the counter) before it succeeds.</summary>
    public int FailAttempts { get; init; }

    /// <summary>The consumer catches the handler's failure and saves a note on the same context instead.</summary>
    public bool SwallowFailure { get; init; }

    /// <summary>
    /// The handler announces a <see cref="ReportFiled"/> with this title, its outbox row written by its own batch on the
    /// inbox transaction (as Reporting's store writes its rows), not by EF.
    /// </summary>
    public string? AnnounceByOwnBatch { get; init; }

    /// <summary>Inside the handler, wait until this many deliveries of the same message have arrived at the consumer.</summary>
    public int ConcurrentDeliveries { get; init; }
}
