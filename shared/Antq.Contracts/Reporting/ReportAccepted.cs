namespace Antq.Contracts.Reporting;

/// <summary>The level above accepted a submitted report (tiếp nhận). Roll-ups do not change: it already counted.</summary>
public sealed record ReportAccepted
{
    public required Guid ReportId { get; init; }

    public required string OrgUnitCode { get; init; }

    public string? ReportsToCode { get; init; }

    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    public required string AcceptedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
