namespace Antq.Reporting.Api.Lineage;

/// <summary>
/// A predecessor of a unit version after the reform (copy of Plan's lineage, from <c>OrgUnitLineageChanged</c>):
/// whole predecessors add up into the successor; a partial one only went in part.
/// </summary>
public sealed class UnitLineage
{
    public required string SuccessorCode { get; set; }

    public required DateOnly SuccessorValidFrom { get; set; }

    public required string PredecessorCode { get; set; }

    public bool Partial { get; set; }
}
