namespace Antq.Plan.Api.Deadlines;

/// <summary>
/// The deadline binding one unit for one period as last computed and published (one row per unit and period).
/// <see cref="DueAt"/> null: the unit had a deadline that no plan sets any more.
/// </summary>
public sealed class UnitDeadlineRecord
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    public required string ReportsToCode { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public Guid? PlanId { get; set; }

    public bool Derived { get; set; }

    /// <summary>The <c>DeadlinesChanged</c> sequence that last carried this row.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset ComputedAt { get; set; }
}
