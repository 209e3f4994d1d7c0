namespace Antq.Plan.Api.Units;

/// <summary>One unit as a file describes it, before it becomes a version.</summary>
public sealed record UnitRecord(string Code, string Name, OrgUnitKind Kind, CommuneKind? CommuneKind, string ParentCode);

public enum UnitFileFormat
{
    /// <summary>units-2025-06-three-tier.json: provinces, districts, communes.</summary>
    ThreeTier,
    /// <summary>units-2026-07-two-tier.json: provinces and communes.</summary>
    TwoTier,
    /// <summary>code,name,kind,parentCode: units below the commune.</summary>
    Csv,
}

/// <summary>A parsed file: its format and its units, parents before children.</summary>
public sealed record UnitFile(UnitFileFormat Format, IReadOnlyList<UnitRecord> Units)
{
    /// <summary>
    /// The kinds the file describes completely: a unit of these kinds valid on the import date and absent from the file is
    /// closed. A CSV file adds or changes the units it lists and closes nothing.
    /// </summary>
    public IReadOnlyList<OrgUnitKind> CompleteKinds => Format switch
    {
        UnitFileFormat.ThreeTier => [OrgUnitKind.Province, OrgUnitKind.District, OrgUnitKind.Commune],
        UnitFileFormat.TwoTier => [OrgUnitKind.Province, OrgUnitKind.District, OrgUnitKind.Commune],
        _ => [],
    };

    /// <summary>
    /// The date a file takes effect when the caller names none: the three-tier list describes the structure before the
    /// reform and is dated 2020-01-01 (the lists of that structure we hold are not older); the two-tier list takes effect on
    /// 1 July 2025, the day of the reform; a CSV file today.
    /// </summary>
    public static DateOnly DefaultEffectiveFrom(UnitFileFormat format, DateOnly today) => format switch
    {
        UnitFileFormat.ThreeTier => new DateOnly(2020, 1, 1),
        UnitFileFormat.TwoTier => ReformDate,
        _ => today,
    };

    /// <summary>1 July 2025: districts abolished, 34 provinces, 3,321 communes.</summary>
    public static readonly DateOnly ReformDate = new(2025, 7, 1);
}

/// <summary>A file refused whole: every problem found, in Vietnamese, each saying where.</summary>
public class UnitFileException(IReadOnlyList<string> errors)
    : Exception(string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
