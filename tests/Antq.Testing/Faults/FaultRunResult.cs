using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Testing.Load;

namespace Antq.Testing.Faults;

/// <summary>How long and how hard a fault run is.</summary>
public sealed class FaultRunOptions
{
    /// <summary>Commune submissions started per second (open loop), all through the fault schedule.</summary>
    public double SubmissionsPerSecond { get; init; } = 6;

    /// <summary>How long RabbitMQ, PostgreSQL and each killed service stay down.</summary>
    public TimeSpan Down { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Steady submissions between two faults.</summary>
    public TimeSpan Between { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How many times the whole schedule (broker, database, every service) is repeated.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>
    /// None: the short schedule (<see cref="Rounds"/> of broker, database and process faults, each <see cref="Down"/>
    /// long). Set: the long schedule (<see cref="FaultRun.LongSchedule"/>), whose outages of one service's database, of
    /// the whole PostgreSQL server and of RabbitMQ each last this long; killed processes stay down <see cref="Down"/>.
    /// </summary>
    public TimeSpan? Outage { get; init; }

    /// <summary>The period the communes submit for (the first of <see cref="LoadPeriods"/> when those are set).</summary>
    public string Period { get; init; } = "2026-H1";

    /// <summary>
    /// Periods submitted for one after another (every commune for the first, then for the next), so that a long run's
    /// load lasts; none: <see cref="Period"/> alone.
    /// </summary>
    public IReadOnlyList<string>? LoadPeriods { get; init; }

    /// <summary>How long one submission keeps trying before the person gives up (longer than the outages in a long run).</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(4);

    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>What a fault run did and what its checks found; <see cref="Problems"/> empty means nothing lost and nothing doubled.</summary>
public sealed class FaultRunResult
{
    public List<string> Faults { get; } = [];
    public List<string> Problems { get; } = [];
    public int Started { get; set; }
    public int Submitted { get; set; }
    public int FoundSubmitted { get; set; }
    public int Failed { get; set; }
    public long Retries { get; set; }
    public int SubmittedInDatabase { get; set; }
    public int NoticesSubmitted { get; set; }
    public int EmailsReceived { get; set; }
    public int EmailDuplicates { get; set; }

    /// <summary>
    /// Of <see cref="EmailDuplicates"/>, the copies that the SMTP server accepted before a kill of the Notification
    /// service and again after it, with the same Message-ID: the one repeat SMTP allows (the process died after the
    /// server's 250 and before the result was recorded). Every other duplicate is a problem.
    /// </summary>
    public int EmailsRepeatedAcrossKill { get; set; }
    public double Seconds { get; set; }

    /// <summary>Submissions started per second: the option's rate, or less when a long run spreads its communes over the schedule.</summary>
    public double RatePerSecond { get; set; }

    /// <summary>The periods submitted for.</summary>
    public List<string> Periods { get; } = [];

    /// <summary>Unsent (or parked) outbox rows by service, read once the platform was quiet.</summary>
    public Dictionary<string, long> OutboxUnsent { get; } = new();

    /// <summary>Messages in the virtual host's <c>_error</c> queues by queue, read once the platform was quiet (empty: none).</summary>
    public Dictionary<string, long> ErrorQueueMessages { get; } = new();

    /// <summary>How many <c>_error</c> queues the virtual host has (MassTransit declares one per endpoint).</summary>
    public int ErrorQueues { get; set; }

    /// <summary>Each copy against its source (<c>docs/copies.md</c>), at the end.</summary>
    public List<CopyComparison> Copies { get; } = [];

    /// <summary>Each period whose deadline passed inside an outage, and what came of it.</summary>
    public List<DeadlineOutcome> Deadlines { get; } = [];

    public override string ToString() =>
        $"{Started} submissions started: {Submitted} answered 2xx, {FoundSubmitted} found submitted on reload after a failure, {Failed} given up; " +
        $"{Retries} retries; {SubmittedInDatabase} submitted reports counted; {NoticesSubmitted} 'submitted' notices; {EmailsReceived} e-mails received " +
        $"({EmailDuplicates} duplicates, {EmailsRepeatedAcrossKill} of them repeated across a kill of the Notification service); {Seconds:F0} s; faults: {string.Join("; ", Faults)}; problems: {(Problems.Count == 0 ? "none" : string.Join(" | ", Problems))}";
}

/// <summary>One copy kept by a service compared with its source, row by row (key and version), at the end of a run.</summary>
public sealed record CopyComparison(string Copy, string Source, string Holder, int SourceRows, int CopyRows, int Missing, int Differing, int Extra)
{
    public bool Equal => Missing == 0 && Differing == 0 && Extra == 0;
}

/// <summary>
/// A period whose deadline passed inside an outage: how many times it closed at the unit (one expected), how long after
/// the deadline and after the outage's end, and its notices (one "period closed", one overdue notice per unit that had
/// not reported, each sent once).
/// </summary>
public sealed record DeadlineOutcome(string Unit, string Period, string Fault, DateTimeOffset DueAt, int Closings, double? ClosedSecondsAfterDeadline,
    double? ClosedSecondsAfterOutage, int ClosedNotices, int ClosedNoticesSent, int OfficerInboxItems, int OverdueExpected, int OverdueNotices,
    int OverdueSent, int OverdueRepeated);
