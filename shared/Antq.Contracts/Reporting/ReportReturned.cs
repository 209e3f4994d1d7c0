namespace Antq.Contracts.Reporting;

/// <summary>The level above returned a report (trả lại) with a reason: it left the roll-ups until it is resubmitted.</summary>
public sealed record ReportReturned
{
    public required Guid ReportId { get; init; }

    public required string OrgUnitCode { get; init; }

    public string? ReportsToCode { get; init; }

    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    /// <summary>Why it was returned, as the reviewer wrote it.</summary>
    public required string Reason { get; init; }

    public required string ReturnedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
