namespace Antq.Contracts.Reporting;

/// <summary>
/// A unit submitted its report for a period (nộp báo cáo): it now counts in the roll-ups of its unit and every ancestor.
/// Notification tells the level above and stops the reminders for it.
/// </summary>
public sealed record ReportSubmitted
{
    public required Guid ReportId { get; init; }

    public required string OrgUnitCode { get; init; }

    /// <summary>The unit the report goes to: the parent at the period's hierarchy date (null for the root).</summary>
    public string? ReportsToCode { get; init; }

    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The deadline that bound it (hạn nộp); null when no plan set one.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>False when it arrived at or after its deadline (nộp muộn); it still counts.</summary>
    public required bool OnTime { get; init; }

    /// <summary>User name of who submitted it.</summary>
    public required string SubmittedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
