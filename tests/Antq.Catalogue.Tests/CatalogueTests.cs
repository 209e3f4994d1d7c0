using System.Text.Json;

namespace Antq.Indicators.Tests;

public sealed class CatalogueTests
{
    static readonly Catalogue Catalogue = Specification.Catalogue;

    [Fact]
    public void A_catalogue_with_a_rule_naming_an_unknown_code_is_refused_with_the_code_named()
    {
        var json = JsonSerializer.Serialize(new
        {
            version = "x",
            indicators = new[] { new { code = "A", name = "A", unit = "u", valueType = "integer", aggregation = "sum", periods = new[] { "H1" } } },
            rules = new[] { new { code = "R1", expression = "A <= B", message = "m" } },
            narrativeSections = Array.Empty<object>(),
        });

        var error = Assert.Throws<CatalogueException>(() => Catalogue.Parse(json));

        Assert.Contains("B", error.Message);
        Assert.Contains("R1", error.Message);
    }

    [Fact]
    public void A_ratio_without_a_denominator_is_refused()
    {
        var json = JsonSerializer.Serialize(new
        {
            version = "x",
            indicators = new object[]
            {
                new { code = "A", name = "A", unit = "u", valueType = "integer", aggregation = "sum", periods = new[] { "H1" } },
                new { code = "P", name = "P", unit = "%", valueType = "decimal", aggregation = "ratio", numerator = new[] { "A" }, computed = true, periods = new[] { "H1" } },
            },
            rules = Array.Empty<object>(),
            narrativeSections = Array.Empty<object>(),
        });

        Assert.Contains("mẫu số", Assert.Throws<CatalogueException>(() => Catalogue.Parse(json)).Message);
    }

    [Fact]
    public void A_period_sees_the_indicators_it_asks_and_only_the_rules_that_can_be_judged_on_them()
    {
        var h1 = Catalogue.ForPeriod(PeriodKind.H1);
        var y = Catalogue.ForPeriod(PeriodKind.Y);

        Assert.Equal(Catalogue.Indicators.Where(i => i.Periods.Contains(PeriodKind.H1)).Select(i => i.Code), h1.Indicators.Select(i => i.Code));
        Assert.DoesNotContain(h1.Indicators, i => i.Code == "KDC_SAFE");
        // KDC_SAFE is asked in the annual report only, so its rule cannot be judged in the six-month one.
        Assert.DoesNotContain(h1.Rules, r => r.Code == "R_KDC_SAFE");
        Assert.Contains(h1.Rules, r => r.Code == "R_TIPS");
        Assert.Equal(Catalogue.Rules, y.Rules);
        Assert.Equal((Catalogue.Version, Catalogue.NarrativeSections), (h1.Version, h1.NarrativeSections));
    }

    [Fact]
    public void A_catalogue_written_as_json_reads_back_the_same_and_enum_values_are_read_whatever_their_case()
    {
        var again = Catalogue.Parse(Catalogue.ToJson());
        var upper = Catalogue.Parse(Catalogue.ToJson().Replace("\"h1\"", "\"H1\"").Replace("\"integer\"", "\"Integer\""));

        Assert.Contains("\"valueType\":\"integer\"", Catalogue.ToJson());
        foreach (var read in new[] { again, upper })
        {
            Assert.Equal(Catalogue.Indicators.Select(Describe), read.Indicators.Select(Describe));
            Assert.Equal(Catalogue.Rules, read.Rules);
            Assert.Equal(Catalogue.NarrativeSections, read.NarrativeSections);
        }
    }

    static string Describe(Indicator i) =>
        $"{i.Code}|{i.Section}|{i.Name}|{i.Unit}|{i.ValueType}|{i.Aggregation}|{string.Join(',', i.Periods)}|{i.Computed}|{string.Join(',', i.Numerator ?? [])}|{string.Join(',', i.Denominator ?? [])}|{i.Factor}|{i.Of}";
}
