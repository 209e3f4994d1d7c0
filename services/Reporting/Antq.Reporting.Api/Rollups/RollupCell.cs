namespace Antq.Reporting.Api.Rollups;

/// <summary>
/// One shard of a unit's stored subtree cells for one period: for every entered indicator, in ordinal order of its code,
/// the sum of the values given by the counted (submitted or accepted) reports of the unit's subtree, and how many
/// reports gave one. A unit's cell for an indicator is the sum of that indicator's entries over the unit's shards.
/// One row per unit and shard, not per indicator: a submission changes one row at each level above it instead of one
/// per indicator. Written only by atomic increments (see <c>RollupCells</c>), read summed over the shards to compute
/// every derived value with <see cref="RollupCalculator"/>.
/// </summary>
public sealed class RollupCellShard
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    /// <summary>Which of the unit's rows this is: increments spread over the shards so that submissions never queue on one row.</summary>
    public short Shard { get; set; }

    /// <summary>Indicator codes, in ordinal order; <see cref="Sums"/> and <see cref="Reports"/> follow them.</summary>
    public string[] Indicators { get; set; } = [];

    public decimal[] Sums { get; set; } = [];

    public int[] Reports { get; set; } = [];
}
