namespace Antq.Contracts.Plan;

/// <summary>
/// The deadline (hạn nộp) that binds one unit's report for one period: set by the plan of the unit it reports to, or
/// derived from the level above minus the lead time where that level issued no plan.
/// </summary>
public sealed record UnitDeadline
{
    public required string OrgUnitCode { get; init; }

    /// <summary>The unit the report goes to (the level whose plan binds it).</summary>
    public required string ReportsToCode { get; init; }

    /// <summary>The report must arrive before this instant (with +07:00 offset: "trước ngày 15/6" is 2026-06-15T00:00+07:00). Null: no deadline any more (its plan was withdrawn).</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>The plan the deadline comes from (for a derived deadline, the plan of the nearest level above that set one).</summary>
    public Guid? PlanId { get; init; }

    public required bool Derived { get; init; }

    /// <summary>Increases with every recomputation; a copy keeps, per unit and period, the deadline with the highest sequence.</summary>
    public required long Sequence { get; init; }
}
