using System.Text.Json;
using Antq.Plan.Api.Plans;
using Antq.Testing;

namespace Antq.Plan.Tests.Deadlines;

/// <summary>Targets are checked against every code of the default catalogue, and only those.</summary>
public sealed class IndicatorCodesTests
{
    [Fact]
    public void The_codes_targets_may_name_are_exactly_those_of_the_default_catalogue()
    {
        using var catalogue = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")));
        var expected = catalogue.RootElement.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToHashSet();
        Assert.True(expected.SetEquals(IndicatorCodes.Default));
        Assert.Contains("PCT_UNITS_SAFE", IndicatorCodes.Default);
        Assert.DoesNotContain("pct_units_safe", IndicatorCodes.Default);
    }
}
