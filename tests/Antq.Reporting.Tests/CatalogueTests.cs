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
        Assert.Equal(global::Antq.Indicators.ValueType.Boolean, Shipped.ByCode["PLAN_ISSUED"].ValueType);
        Assert.Equal([PeriodKind.Y], Shipped.ByCode["KDC_SAFE"].Periods);
        Assert.Equal(5, Shipped.NarrativeSections.Count);
    }

    /// <summary>
    /// The portal judges its form with the catalogue it reads from GET /api/indicators?period=…: that answer reads back as
    /// the catalogue the period's reports are judged by, rules and all.
    /// </summary>
    [Theory]
    [InlineData("2026-H1")]
    [InlineData("2026-Y")]
    public void A_periods_catalogue_answer_reads_back_as_the_catalogue_its_reports_are_judged_by(string code)
    {
        Assert.True(ReportingPeriod.TryParse(code, out var period));
        var answer = JsonSerializer.Serialize(IndicatorsApi.ToResponse(Shipped, period), new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var read = JsonSerializer.Deserialize<Catalogue>(answer, Catalogue.JsonOptions)!;

        var judged = Shipped.ForPeriod(period.Kind);
        Assert.Equal(judged.Version, read.Version);
        Assert.Equal(judged.Indicators.Select(Describe), read.Indicators.Select(Describe));
        Assert.Equal(judged.Rules, read.Rules);
        Assert.Equal(judged.NarrativeSections, read.NarrativeSections);
    }

    static string Describe(Indicator i) =>
        $"{i.Code}|{i.Name}|{i.Unit}|{i.ValueType}|{i.Aggregation}|{string.Join(',', i.Periods)}|{i.Computed}|{string.Join(',', i.Numerator ?? [])}|{string.Join(',', i.Denominator ?? [])}|{i.Factor}|{i.Of}";
}
