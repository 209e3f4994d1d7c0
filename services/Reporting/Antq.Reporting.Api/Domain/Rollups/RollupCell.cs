namespace Antq.Reporting.Api.Domain.Rollups;

/// <summary>
/// The stored subtree cell of one unit, period and entered indicator: the sum of the values given by the counted
/// (submitted or accepted) reports of the unit's subtree, and how many reports gave one. Written only by atomic
/// increments (see <c>RollupCells</c>), read to compute every derived value with <see cref="RollupCalculator"/>.
/// </summary>
public sealed class RollupCell
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    public required string Indicator { get; set; }

    public decimal Sum { get; set; }

    public int Reports { get; set; }
}
