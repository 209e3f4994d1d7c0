namespace Antq.Reporting.Api.Domain.Rollups;

/// <summary>
/// One shard of the stored subtree cell of one unit, period and entered indicator. The cell — the sum of the values
/// given by the counted (submitted or accepted) reports of the unit's subtree, and how many reports gave one — is the
/// sum of its shards. Written only by atomic increments (see <c>RollupCells</c>), read summed over the shards to compute
/// every derived value with <see cref="RollupCalculator"/>.
/// </summary>
public sealed class RollupCell
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    public required string Indicator { get; set; }

    /// <summary>Which of the cell's rows this is: increments spread over the shards so that submissions never queue on one row.</summary>
    public short Shard { get; set; }

    public decimal Sum { get; set; }

    public int Reports { get; set; }
}
