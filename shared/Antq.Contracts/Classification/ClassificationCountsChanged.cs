namespace Antq.Contracts.Classification;

/// <summary>
/// The classification counts of the units directly below a unit changed: the values its annual report takes without
/// anyone typing them. <see cref="Values"/> holds CLS_XUAT_SAC, CLS_KHA, CLS_TRUNG_BINH and CLS_YEU always, KDC_SAFE
/// where the unit has residential areas below it and ORG_SAFE where it has agencies, enterprises or schools.
/// Always the whole state: keep, per unit and period, the message with the highest <see cref="Sequence"/>.
/// </summary>
public sealed record ClassificationCountsChanged
{
    public required string OrgUnitCode { get; init; }

    /// <summary>The annual period, YYYY-Y.</summary>
    public required string Period { get; init; }

    /// <summary>Indicator code of the catalogue → count.</summary>
    public required IReadOnlyDictionary<string, int> Values { get; init; }

    /// <summary>Increases with every change for this unit and period.</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
