using Antq.Plan.Api.Deadlines;

namespace Antq.Plan.Tests.Deadlines;

/// <summary>The chain rule: a unit is bound by its parent's plan, else by its parent's deadline minus the lead time.</summary>
public sealed class DeadlineChainTests
{
    static readonly Guid ProvincePlan = Guid.Parse("00000000-0000-0000-0000-000000000001");
    static readonly Guid CommunePlan = Guid.Parse("00000000-0000-0000-0000-000000000002");
    static readonly Guid DistrictPlan = Guid.Parse("00000000-0000-0000-0000-000000000003");

    // BCA → province 01 → communes 00004 (with a plan), 00008 (none) → residential areas below each.
    static readonly Dictionary<string, string?> TwoTier = new()
    {
        ["BCA"] = null,
        ["01"] = "BCA",
        ["00004"] = "01",
        ["00008"] = "01",
        ["00004-TDP1"] = "00004",
        ["00008-TDP1"] = "00008",
    };

    static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.FromHours(7));

    static DeadlineChain Chain(Dictionary<string, string?> parents, Dictionary<string, PlanSetting> settings, int leadDays = 5) =>
        new(parents, settings, TimeSpan.FromDays(leadDays));

    [Fact]
    public void A_commune_is_bound_by_its_provinces_plan_and_its_residential_area_by_the_communes_plan()
    {
        var chain = Chain(TwoTier, new()
        {
            ["01"] = new(ProvincePlan, Day(2026, 6, 15)),
            ["00004"] = new(CommunePlan, Day(2026, 5, 7)),
        });

        Assert.Equal(new BindingDeadline("00004", "01", Day(2026, 6, 15), ProvincePlan, false), chain.For("00004"));
        Assert.Equal(new BindingDeadline("00004-TDP1", "00004", Day(2026, 5, 7), CommunePlan, false), chain.For("00004-TDP1"));
    }

    [Fact]
    public void Below_a_commune_without_a_plan_the_deadline_is_the_communes_minus_the_lead_time()
    {
        var chain = Chain(TwoTier, new() { ["01"] = new(ProvincePlan, Day(2026, 6, 15)) });

        Assert.Equal(new BindingDeadline("00008", "01", Day(2026, 6, 15), ProvincePlan, false), chain.For("00008"));
        Assert.Equal(new BindingDeadline("00008-TDP1", "00008", Day(2026, 6, 10), ProvincePlan, true), chain.For("00008-TDP1"));
    }

    [Fact]
    public void The_lead_time_is_a_setting()
    {
        var chain = Chain(TwoTier, new() { ["01"] = new(ProvincePlan, Day(2026, 6, 15)) }, leadDays: 3);
        Assert.Equal(Day(2026, 6, 12), chain.For("00008-TDP1")!.DueAt);
    }

    [Fact]
    public void Derivation_applies_level_by_level_down_from_the_nearest_ancestor_that_set_one()
    {
        // Three-tier: province plan only; the district derives nothing (it reports to the province, which set one),
        // the commune derives from the district, the residential area from the commune.
        var parents = new Dictionary<string, string?>
        {
            ["BCA"] = null, ["01"] = "BCA", ["001"] = "01", ["00001"] = "001", ["00001-T1"] = "00001",
        };
        var chain = Chain(parents, new() { ["01"] = new(ProvincePlan, Day(2025, 6, 15)) });

        Assert.Equal(new BindingDeadline("001", "01", Day(2025, 6, 15), ProvincePlan, false), chain.For("001"));
        Assert.Equal(new BindingDeadline("00001", "001", Day(2025, 6, 10), ProvincePlan, true), chain.For("00001"));
        Assert.Equal(new BindingDeadline("00001-T1", "00001", Day(2025, 6, 5), ProvincePlan, true), chain.For("00001-T1"));
    }

    [Fact]
    public void A_district_plan_binds_its_communes_instead_of_the_derived_deadline()
    {
        var parents = new Dictionary<string, string?> { ["BCA"] = null, ["01"] = "BCA", ["001"] = "01", ["00001"] = "001" };
        var chain = Chain(parents, new()
        {
            ["01"] = new(ProvincePlan, Day(2025, 6, 15)),
            ["001"] = new(DistrictPlan, Day(2025, 6, 1)),
        });
        Assert.Equal(new BindingDeadline("00001", "001", Day(2025, 6, 1), DistrictPlan, false), chain.For("00001"));
    }

    [Fact]
    public void Without_a_plan_above_there_is_no_deadline()
    {
        var chain = Chain(TwoTier, new() { ["00004"] = new(CommunePlan, Day(2026, 5, 7)) });
        Assert.Null(chain.For("01"));
        Assert.Null(chain.For("00004"));
        Assert.Null(chain.For("00008-TDP1"));
        Assert.Null(chain.For("BCA"));
        Assert.Null(chain.For("unknown"));
        Assert.NotNull(chain.For("00004-TDP1"));
    }

    [Fact]
    public void Descendants_are_every_unit_below_not_the_unit_itself()
    {
        var chain = Chain(TwoTier, []);
        Assert.Equal(["00004", "00008", "00004-TDP1", "00008-TDP1"], chain.Descendants("01"));
        Assert.Empty(chain.Descendants("00004-TDP1"));
    }

    [Fact]
    public void Descendants_of_several_units_include_those_still_naming_a_closed_unit_as_their_parent()
    {
        // 00008 was closed (merged away): not in the hierarchy, but its residential area still names it.
        var parents = new Dictionary<string, string?>(TwoTier);
        parents.Remove("00008");
        var chain = Chain(parents, []);
        Assert.Equal(["00008-TDP1"], chain.Descendants("00008"));
        Assert.Equal(["00004-TDP1", "00008-TDP1"], chain.Descendants(["00008", "00004"]));
        // The codes asked for are never listed, not even one below another; what is below each is.
        Assert.Equal(["00004-TDP1", "00008-TDP1"], Chain(TwoTier, []).Descendants(["01", "00004", "00008"]));
    }

    [Fact]
    public void A_unit_whose_parent_is_not_in_the_hierarchy_has_no_deadline_even_if_that_parent_issued_a_plan()
    {
        // 00004 closed before the end of the data window, its plan still issued; its residential area not yet moved.
        var parents = new Dictionary<string, string?>(TwoTier);
        parents.Remove("00004");
        var chain = Chain(parents, new()
        {
            ["01"] = new(ProvincePlan, Day(2026, 6, 15)),
            ["00004"] = new(CommunePlan, Day(2026, 5, 7)),
        });

        Assert.Null(chain.For("00004"));
        Assert.Null(chain.For("00004-TDP1"));
        Assert.Equal(new BindingDeadline("00008-TDP1", "00008", Day(2026, 6, 10), ProvincePlan, true), chain.For("00008-TDP1"));
    }

    [Fact]
    public void A_cycle_in_the_hierarchy_is_reported_not_looped_over()
    {
        var chain = Chain(new() { ["A"] = "B", ["B"] = "A" }, []);
        Assert.Throws<InvalidOperationException>(() => chain.For("A"));
    }
}
