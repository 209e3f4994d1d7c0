namespace Antq.Contracts.Classification;

/// <summary>
/// At year end the level above decided whether a unit meets the "An toàn về an ninh, trật tự" standard: recognised
/// (công nhận) or not (không đạt).
/// </summary>
public sealed record UnitRecognised
{
    public required string OrgUnitCode { get; init; }

    public string? ParentCode { get; init; }

    public required int Year { get; init; }

    /// <summary>Commune, ResidentialArea, AgencyEnterpriseSchool or District.</summary>
    public required string SubjectKind { get; init; }

    public required bool Recognised { get; init; }

    /// <summary>The criteria not met, in Vietnamese; empty when recognised.</summary>
    public required IReadOnlyList<string> Unmet { get; init; }

    public required string DecidedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
