namespace Antq.Contracts.Classification;

/// <summary>
/// The achieved value or the verdict of a plan's target (chỉ tiêu) at a unit changed. Published only on a change.
/// </summary>
public sealed record TargetAttainmentChanged
{
    public required Guid PlanId { get; init; }

    /// <summary>The target's position in the plan's list of targets.</summary>
    public required int TargetIndex { get; init; }

    /// <summary>The unit the target is judged at.</summary>
    public required string OrgUnitCode { get; init; }

    public required int Year { get; init; }

    /// <summary>Indicator code of the catalogue, e.g. PCT_KHA_TRO_LEN.</summary>
    public required string Indicator { get; init; }

    /// <summary>&gt;, &gt;=, =, &lt;= or &lt;.</summary>
    public required string Comparator { get; init; }

    public required decimal Target { get; init; }

    /// <summary>Null while nothing is known yet (no unit below classified, no report values).</summary>
    public decimal? Achieved { get; init; }

    public bool? Attained { get; init; }

    /// <summary>Achieved − target: negative when short of it.</summary>
    public decimal? Gap { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
