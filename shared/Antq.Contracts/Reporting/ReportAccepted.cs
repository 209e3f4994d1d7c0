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

    /// <summary>
    /// The unit's values as its roll-up showed them at acceptance (indicator code → value; yes/no as 1/0; computed
    /// ratios included; null where no report gave one). Absent on messages from before it was added.
    /// </summary>
    public IReadOnlyDictionary<string, decimal?>? Values { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
