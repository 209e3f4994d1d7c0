using System.Text.Json;
using Antq.Testing;

namespace Antq.Reporting.Tests;

public sealed class CatalogueTests
{
    static readonly Catalogue Shipped = DefaultCatalogue.Load();

    [Fact]
    public void The_shipped_catalogue_matches_its_specification_in_shared()
    {
        var specification = Catalogue.Parse(File.ReadAllText(TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")));

        Assert.Equal(specification.Version, Shipped.Version);
        Assert.Equal(specification.Indicators.Select(Describe), Shipped.Indicators.Select(Describe));
        Assert.Equal(specification.Rules, Shipped.Rules);
        Assert.Equal(specification.NarrativeSections, Shipped.NarrativeSections);
    }

    [Fact]
    public void Key_indicators_are_read_with_their_aggregation()
    {
        Assert.Equal(Aggregation.Ratio, Shipped.ByCode["PCT_UNITS_SAFE"].Aggregation);
        Assert.Equal(["KDC_SAFE", "ORG_SAFE"], Shipped.ByCode["PCT_UNITS_SAFE"].Numerator);
        Assert.Equal(100m, Shipped.ByCode["PCT_UNITS_SAFE"].Factor);
        Assert.Equal(Aggregation.MeanOfRatios, Shipped.ByCode["AVG_PCT_KHA_TRO_LEN"].Aggregation);
        Assert.Equal("HOTSPOTS", Shipped.ByCode["MAX_HOTSPOTS_ONE_UNIT"].Of);
        Assert.Equal(Antq.Reporting.Api.Indicators.ValueType.Boolean, Shipped.ByCode["PLAN_ISSUED"].ValueType);
        Assert.Equal([PeriodKind.Y], Shipped.ByCode["KDC_SAFE"].Periods);
        Assert.Equal(5, Shipped.NarrativeSections.Count);
    }

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

    [Theory]
    [InlineData("2026-H1", 2026, PeriodKind.H1)]
    [InlineData("2025-Y", 2025, PeriodKind.Y)]
    public void Periods_are_read_from_their_codes(string code, int year, PeriodKind kind)
    {
        Assert.True(ReportingPeriod.TryParse(code, out var period));
        Assert.Equal(new ReportingPeriod(year, kind), period);
        Assert.Equal(code, period.Code);
    }

    [Theory]
    [InlineData("2026-H2")]
    [InlineData("2026")]
    [InlineData("26-H1")]
    [InlineData("2026-y")]
    [InlineData("1999-Y")]
    [InlineData("２０２６-H1")]
    [InlineData("")]
    public void Other_period_codes_are_refused(string code) => Assert.False(ReportingPeriod.TryParse(code, out _));

    [Fact]
    public void Data_windows_and_hierarchy_dates_follow_the_default_settings()
    {
        var options = new DataWindowOptions();

        Assert.Equal((new DateOnly(2025, 12, 15), new DateOnly(2026, 6, 14)), new ReportingPeriod(2026, PeriodKind.H1).DataWindow(options));
        Assert.Equal((new DateOnly(2024, 12, 15), new DateOnly(2025, 12, 14)), new ReportingPeriod(2025, PeriodKind.Y).DataWindow(options));
        // The six-month period of 2025 closed before the reform and rolls up through the three-tier tree.
        Assert.Equal(new DateOnly(2025, 6, 14), new ReportingPeriod(2025, PeriodKind.H1).HierarchyDate(options));
    }

    static string Describe(Indicator i) =>
        $"{i.Code}|{i.Name}|{i.Unit}|{i.ValueType}|{i.Aggregation}|{string.Join(',', i.Periods)}|{i.Computed}|{string.Join(',', i.Numerator ?? [])}|{string.Join(',', i.Denominator ?? [])}|{i.Factor}|{i.Of}";
}
