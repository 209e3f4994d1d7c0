using Antq.Plan.Api.Units;
using Antq.Testing;

namespace Antq.Plan.Tests;

/// <summary>The demo province that deploy/seed.sh loads on a machine without ../shared must be accepted by the importer.</summary>
public sealed class DemoUnitsTests
{
    [Fact]
    public void The_demo_province_and_its_units_below_the_commune_parse_and_fit_together()
    {
        var province = DvhcFileParser.Parse(File.ReadAllBytes(Path.Combine(TestEnvironment.Root, "deploy", "demo", "units-demo.json")));
        var below = CsvUnitParser.Parse(File.ReadAllText(Path.Combine(TestEnvironment.Root, "deploy", "demo", "units-demo.csv")));
        Assert.Equal(UnitFileFormat.TwoTier, province.Format);

        var versions = UnitImportPlan.Build(province, UnitFile.ReformDate, [], new Dictionary<string, DateOnly>()).ToCreate;
        var plan = UnitImportPlan.Build(below, UnitFile.ReformDate, versions, new Dictionary<string, DateOnly>());
        Assert.Equal(below.Units.Count, plan.ToCreate.Count);
        Assert.Contains(plan.ToCreate, u => u.Kind == OrgUnitKind.ResidentialArea);
    }
}
