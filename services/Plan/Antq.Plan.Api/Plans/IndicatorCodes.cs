
namespace Antq.Plan.Api.Plans;

/// <summary>
/// The indicator codes a plan's targets may name: those of the catalogue copy the Plan service embeds
/// (<see cref="IndicatorCatalogue.Default"/>, the default ../shared/data/catalog/antq-indicators.json), so that targets
/// are checked without asking the Reporting service, which owns the catalogue.
/// </summary>
public static class IndicatorCodes
{
    static readonly Lazy<IReadOnlySet<string>> codes = new(() =>
        IndicatorCatalogue.Default.Select(i => i.Code).ToHashSet(StringComparer.Ordinal));

    public static IReadOnlySet<string> Default => codes.Value;
}
