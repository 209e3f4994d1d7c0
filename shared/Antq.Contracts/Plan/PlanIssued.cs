namespace Antq.Contracts.Plan;

/// <summary>
/// A plan (Kế hoạch) was issued, possibly as a new version of one it supersedes. The deadlines it sets reach each unit
/// through <see cref="DeadlinesChanged"/>; this carries what the plan itself says: the reminder policy Notification
/// follows for those deadlines and the targets Classification records.
/// </summary>
public sealed record PlanIssued
{
    public required Guid PlanId { get; init; }

    public required string Number { get; init; }

    public required string Title { get; init; }

    public required string IssuerCode { get; init; }

    public required int Year { get; init; }

    public required DateOnly IssuedOn { get; init; }

    /// <summary>The plan of the level above that this one implements.</summary>
    public Guid? ParentPlanId { get; init; }

    /// <summary>The version this one replaces; its deadlines and reminders no longer apply.</summary>
    public Guid? SupersedesPlanId { get; init; }

    /// <summary>Per period, the deadline the plan sets for the units that report to the issuer.</summary>
    public required IReadOnlyList<PlanPeriodDeadline> Deadlines { get; init; }

    public required PlanReminderPolicy ReminderPolicy { get; init; }

    public required IReadOnlyList<PlanTargetSet> Targets { get; init; }

    /// <summary>Units below must issue their implementing plans before 00:00 of this day (Vietnam time).</summary>
    public DateOnly? ImplementingPlansDueOn { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
