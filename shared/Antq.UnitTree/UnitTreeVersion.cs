namespace Antq.UnitTree;

/// <summary>
/// A copy of one unit version of the Plan service (<see cref="Antq.Contracts.Plan.OrgUnitVersion"/>), valid during
/// [<see cref="ValidFrom"/>, <see cref="ValidTo"/>). The parent is the version of <see cref="ParentCode"/> valid on the same date.
/// </summary>
public sealed class UnitTreeVersion
{
    public Guid Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public string? CommuneKind { get; set; }
    public string? ParentCode { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public long ChangeSequence { get; set; }
}
