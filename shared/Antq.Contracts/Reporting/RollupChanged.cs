namespace Antq.Contracts.Reporting;

/// <summary>
/// The roll-ups (tổng hợp) of these units for a period changed: a report entered or left the counted set, or the period
/// was recomputed. Readers fetch the new numbers from <c>GET /api/rollups/{code}/{period}</c>.
/// </summary>
public sealed record RollupChanged
{
    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    /// <summary>The units whose roll-up changed: the reporting unit and every ancestor, root first.</summary>
    public required IReadOnlyList<string> OrgUnitCodes { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
