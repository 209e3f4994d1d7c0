namespace Antq.Reporting.Api.Deadlines;

/// <summary>
/// The copy of one unit's deadline (hạn nộp) for one period, from the Plan service's DeadlinesChanged. A submission
/// takes its due time from here; the copy keeps the version with the highest sequence.
/// </summary>
public sealed class Deadline
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    public required string ReportsToCode { get; set; }

    /// <summary>The report must arrive before this instant; null: no deadline any more.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public Guid? PlanId { get; set; }

    public bool Derived { get; set; }

    public long Sequence { get; set; }
}
