using Antq.Testing;

namespace Antq.Indicators.Tests;

/// <summary>The catalogue's specification in ../shared, which the catalogue the product ships matches (Antq.Reporting.Tests).</summary>
static class Specification
{
    public static readonly Catalogue Catalogue = Catalogue.Parse(File.ReadAllText(TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")));
}
