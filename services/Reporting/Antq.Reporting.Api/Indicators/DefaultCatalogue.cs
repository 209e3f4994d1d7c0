namespace Antq.Reporting.Api.Indicators;

/// <summary>The catalogue the product ships (matching the specification in ../shared/data/catalog), used until an administrator publishes another.</summary>
public static class DefaultCatalogue
{
    static readonly Lazy<string> Json = new(() =>
    {
        using var stream = typeof(DefaultCatalogue).Assembly.GetManifestResourceStream("Antq.Reporting.Api.Resources.default-catalogue.json")
            ?? throw new InvalidOperationException("The default catalogue is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string RawJson => Json.Value;

    public static Catalogue Load() => Catalogue.Parse(Json.Value);
}
