using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Testing.Load;

namespace Antq.Testing.Faults;

/// <summary>One fault of a schedule: what it does (timed and logged), and what it needs set up first (not timed).</summary>
public sealed record FaultStep(string Name, Func<Task> Act, Func<Task>? Prepare = null);

/// <summary>A unit's deadline for <see cref="FaultRun.DeadlinePeriod"/> made to pass inside an outage.</summary>
public sealed class DeadlineCase(string unit, string fault, DateTimeOffset dueAt, IReadOnlyList<string> communes, IReadOnlyList<string> early)
{
    public string Unit => unit;

    public string Fault => fault;

    public DateTimeOffset DueAt => dueAt;

    /// <summary>The unit's communes, whose deadline it is.</summary>
    public IReadOnlyList<string> Communes => communes;

    /// <summary>The communes that reported before the deadline.</summary>
    public IReadOnlyList<string> Early => early;

    /// <summary>When the outage ended (the server or the process back).</summary>
    public DateTimeOffset? OutageEndedAt { get; private set; }

    public void Ended(DateTimeOffset at) => OutageEndedAt = at;
}
