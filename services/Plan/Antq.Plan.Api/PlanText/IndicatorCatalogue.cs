using System.Text.Json;

namespace Antq.Plan.Api.PlanText;

/// <summary>
/// The indicator codes, names and units the Plan service knows. It ships its own copy of the default catalogue
/// (<c>antq-indicators.json</c>, embedded) so that a plan's targets can be mapped without another service.
/// </summary>
public static class IndicatorCatalogue
{
    public const string ResourceName = "Antq.Plan.Api.antq-indicators.json";

    static readonly Lazy<IReadOnlyList<CatalogueIndicator>> embedded = new(() =>
    {
        using var stream = typeof(IndicatorCatalogue).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return Parse(stream);
    });

    /// <summary>The default catalogue shipped with the service.</summary>
    public static IReadOnlyList<CatalogueIndicator> Default => embedded.Value;

    /// <summary>Reads <c>{"indicators": [{"code", "name", "unit"}, ...]}</c>; other fields are ignored.</summary>
    public static IReadOnlyList<CatalogueIndicator> Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var list = new List<CatalogueIndicator>();
        foreach (var item in document.RootElement.GetProperty("indicators").EnumerateArray())
        {
            list.Add(new CatalogueIndicator(
                item.GetProperty("code").GetString()!,
                item.GetProperty("name").GetString()!,
                item.TryGetProperty("unit", out var unit) ? unit.GetString() ?? "" : ""));
        }

        return list;
    }
}
