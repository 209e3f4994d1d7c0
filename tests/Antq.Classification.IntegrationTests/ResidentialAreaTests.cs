using Antq.ServiceDefaults;

namespace Antq.Classification.IntegrationTests;

/// <summary>Below a commune: residential areas and a school recognised safe feed the commune's KDC_SAFE and ORG_SAFE.</summary>
[Collection(ClassificationCollection.Name)]
public sealed class ResidentialAreaTests(ClassificationFixture fixture)
{
    [Fact]
    public async Task The_recognitions_of_a_communes_residential_areas_and_school_are_counted_and_published_for_its_annual_report()
    {
        const int year = 2031;
        var commune = fixture.ChildrenOf("15").First().Code; // a commune of Tỉnh Lào Cai
        List<UnitRow> below =
        [
            new($"{commune}-T1", "Thôn Nà Lốc", "ResidentialArea", commune),
            new($"{commune}-T2", "Thôn Khe Mụ", "ResidentialArea", commune),
            new($"{commune}-T3", "Tổ dân phố số 3", "ResidentialArea", commune),
            new($"{commune}-T4", "Tổ dân phố số 4", "ResidentialArea", commune),
            new($"{commune}-TH", "Trường Tiểu học Nà Lốc", "School", commune),
        ];
        await fixture.InDbAsync(db => ClassificationFixture.InsertUnitsAsync(db, below));
        var planId = Guid.NewGuid();
        await fixture.PublishPlanAsync(planId, "03/KH-BCĐ", commune, year,
            new Antq.Contracts.Plan.PlanTargetSet { Indicator = "PCT_UNITS_SAFE", Comparator = ">=", Value = 87.5m, Scope = "subtree" });
        // The province asks each of its communes for at least 70% of safe residential areas.
        var provincePlan = Guid.NewGuid();
        await fixture.PublishPlanAsync(provincePlan, "20/KH-CAT", "15", year,
            new Antq.Contracts.Plan.PlanTargetSet { Indicator = "PCT_KDC_SAFE", Comparator = ">=", Value = 70, Scope = "each child" });
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(async db =>
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.PlanTargets, t => t.PlanId == planId || t.PlanId == provincePlan) == 2), "the plans' targets");

        using var officer = fixture.As($"cax-{commune}", AntqRoles.CommuneOfficer, commune);
        var recognisedAreas = new[] { true, true, true, false };
        for (var i = 0; i < 4; i++)
        {
            var area = below[i].Code;
            await officer.PostJsonAsync($"/api/classifications/{area}/{year}/safe/registration").OkOrCreatedAsync();
            var decided = await officer.PostJsonAsync($"/api/classifications/{area}/{year}/safe/recognition", new
            {
                criteria = new Dictionary<string, bool> { ["AT1"] = recognisedAreas[i], ["AT2"] = true, ["AT3"] = true, ["AT4"] = true },
            }).OkJsonAsync();
            Assert.Equal(recognisedAreas[i], decided.GetProperty("recognised").GetBoolean());
        }

        var school = below[4].Code;
        await officer.PostJsonAsync($"/api/classifications/{school}/{year}/safe/registration").OkOrCreatedAsync();
        await officer.PostJsonAsync($"/api/classifications/{school}/{year}/safe/recognition",
            new { criteria = new Dictionary<string, bool> { ["AT1"] = true, ["AT2"] = true, ["AT3"] = true } }).OkJsonAsync();

        var summary = await officer.GetAsync($"/api/classifications/{commune}/{year}/summary").OkJsonAsync();
        var indicators = summary.GetProperty("indicators");
        Assert.Equal(3, indicators.GetProperty("KDC_SAFE").GetDecimal());
        Assert.Equal(75m, indicators.GetProperty("PCT_KDC_SAFE").GetDecimal());
        Assert.Equal(1, indicators.GetProperty("ORG_SAFE").GetDecimal());
        Assert.Equal(80m, indicators.GetProperty("PCT_UNITS_SAFE").GetDecimal());
        var targets = summary.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(2, targets.Count);
        var fromProvince = targets.Single(t => t.GetProperty("planId").GetGuid() == provincePlan);
        Assert.Equal("each child", fromProvince.GetProperty("scope").GetString());
        Assert.True(fromProvince.GetProperty("attained").GetBoolean());
        Assert.Equal(5m, fromProvince.GetProperty("gap").GetDecimal());
        var target = targets.Single(t => t.GetProperty("planId").GetGuid() == planId);
        Assert.False(target.GetProperty("attained").GetBoolean());
        Assert.Equal(-7.5m, target.GetProperty("gap").GetDecimal());
        Assert.Equal("Chưa đạt chỉ tiêu (chênh lệch -7,5).", target.GetProperty("verdict").GetString());

        var published = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "ClassificationCountsChanged", commune));
        var last = published.MaxBy(p => p.GetProperty("sequence").GetInt64()).GetProperty("values");
        Assert.Equal(3, last.GetProperty("KDC_SAFE").GetInt32());
        Assert.Equal(1, last.GetProperty("ORG_SAFE").GetInt32());
        Assert.Equal(0, last.GetProperty("CLS_KHA").GetInt32());
        var verdicts = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "TargetAttainmentChanged", commune));
        Assert.Equal(80m, verdicts.Last(v => v.GetProperty("indicator").GetString() == "PCT_UNITS_SAFE").GetProperty("achieved").GetDecimal());
        Assert.True(verdicts.Last(v => v.GetProperty("indicator").GetString() == "PCT_KDC_SAFE").GetProperty("attained").GetBoolean());
    }
}
