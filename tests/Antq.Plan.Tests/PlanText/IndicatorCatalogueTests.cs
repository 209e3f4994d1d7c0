using System.Text.Json;
using Antq.Plan.Api.PlanText;
using Antq.Testing;

namespace Antq.Plan.Tests.PlanText;

public sealed class IndicatorCatalogueTests
{
    [Fact]
    public void Embedded_catalogue_has_the_codes_names_and_units_of_the_shared_one()
    {
        using var shared = JsonDocument.Parse(File.ReadAllText(TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")));
        var expected = shared.RootElement.GetProperty("indicators").EnumerateArray()
            .Select(i => new CatalogueIndicator(i.GetProperty("code").GetString()!, i.GetProperty("name").GetString()!, i.GetProperty("unit").GetString()!))
            .ToList();
        Assert.Equal(expected, IndicatorCatalogue.Default);
    }

    [Fact]
    public void Synonym_table_names_only_codes_of_the_catalogue()
    {
        var codes = IndicatorCatalogue.Default.Select(c => c.Code).ToHashSet();
        Assert.All(IndicatorPhrases.All, p => Assert.Contains(p.Indicator, codes));
    }

    [Fact]
    public void Rate_phrases_name_rate_indicators_and_count_phrases_count_indicators()
    {
        var byCode = IndicatorCatalogue.Default.ToDictionary(c => c.Code);
        Assert.All(IndicatorPhrases.All, p => Assert.Equal(p.Unit is null, byCode[p.Indicator].IsRate));
    }
}
