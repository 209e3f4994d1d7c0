namespace Antq.Contracts.Reporting;

/// <summary>
/// The deadline of the units reporting to a unit passed and Reporting closed the period at that unit (khóa sổ): it froze
/// the unit's roll-up and its children's statuses, and handed the unit's officer the draft of its own report. Reports
/// that arrive later still count live and are marked late. Notification tells the level's officers and chases the
/// missing units. Published once per unit and period.
/// </summary>
public sealed record PeriodClosed
{
    /// <summary>The id of the frozen snapshot (<c>GET /api/rollups/{code}/{period}/snapshot</c>).</summary>
    public required Guid ClosingId { get; init; }

    /// <summary>The unit the period closed at (the level the children report to).</summary>
    public required string OrgUnitCode { get; init; }

    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    /// <summary>The children's deadline that passed (the latest of them when they differ).</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When the snapshot was taken: at the deadline, or when the service came back after it.</summary>
    public required DateTimeOffset ClosedAt { get; init; }

    /// <summary>Units reporting directly to the unit in the hierarchy of the period.</summary>
    public required int Expected { get; init; }

    public required int OnTime { get; init; }

    public required int Late { get; init; }

    public required int Missing { get; init; }

    /// <summary>Codes of the units that had not submitted when the period closed (chưa nộp).</summary>
    public required IReadOnlyList<string> MissingCodes { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
