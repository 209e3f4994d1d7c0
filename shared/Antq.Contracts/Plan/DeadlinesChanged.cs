namespace Antq.Contracts.Plan;

/// <summary>
/// The deadlines of one period changed for these units (a plan issued or superseded, a unit added). Reporting marks
/// reports on time or late and closes periods by them; Notification schedules reminders by them.
/// </summary>
public sealed record DeadlinesChanged
{
    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    public required IReadOnlyList<UnitDeadline> Deadlines { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
