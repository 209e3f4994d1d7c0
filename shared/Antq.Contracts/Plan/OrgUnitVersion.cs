namespace Antq.Contracts.Plan;

/// <summary>
/// One version of a unit as the Plan service holds it: its code, name, kind and parent during [ValidFrom, ValidTo).
/// Always the whole state, so a copy applies it by <see cref="Id"/> whatever order versions arrive in, keeping the one
/// with the higher <see cref="ChangeSequence"/>.
/// </summary>
public sealed record OrgUnitVersion
{
    public required Guid Id { get; init; }

    /// <summary>Official code; the same code may name different units in different intervals.</summary>
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>Ministry, Province, District, Commune, ResidentialArea, Agency, Enterprise, School or PoliceUnit.</summary>
    public required string Kind { get; init; }

    /// <summary>Xa, Phuong, DacKhu or ThiTran for a commune; null otherwise.</summary>
    public string? CommuneKind { get; init; }

    /// <summary>Code of the parent, resolved to that code's version valid on the same date; null for the root (BCA).</summary>
    public string? ParentCode { get; init; }

    public required DateOnly ValidFrom { get; init; }

    /// <summary>First day the version is no longer valid; null while it is. ValidFrom = ValidTo means it never was.</summary>
    public DateOnly? ValidTo { get; init; }

    /// <summary>The change that last wrote this version; increases with every change.</summary>
    public required long ChangeSequence { get; init; }
}
