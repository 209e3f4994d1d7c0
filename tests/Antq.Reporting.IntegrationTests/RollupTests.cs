using System.Net;
using Antq.ServiceDefaults;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>Whole real provinces report with random values; every indicator of the roll-up is checked against the catalogue's notes.</summary>
[Collection(ReportingCollection.Name)]
public sealed class RollupTests(ReportingFixture fixture)
{
    static readonly Spec Spec = Spec.Catalogue;

    async Task SubmitAsync(string code, string role, string period, Dictionary<string, decimal> values)
    {
        using var client = fixture.As($"cb-{code}", role, code);
        await client.PutJsonAsync($"/api/reports/{code}/{period}", new { values = Spec.Body(values) }).OkJsonAsync();
        var submitted = await client.PostJsonAsync($"/api/reports/{code}/{period}/submit").OkJsonAsync();
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());
    }

    async Task AssertRollupsAsync(string period, DateOnly at, Dictionary<string, Dictionary<string, decimal>> counted, params string[] units)
    {
        var kind = period[5..];
        foreach (var unit in units)
        {
            var rollup = await fixture.Admin.GetAsync($"/api/rollups/{unit}/{period}").OkJsonAsync();
            Spec.AssertRollup(Spec.Expected(kind, unit, at, fixture.Units, counted), rollup, $"{unit} {period}");
        }
    }

    [Fact]
    public async Task Every_commune_of_a_two_tier_province_submits_and_the_province_rollup_follows_the_catalogue_rules_through_returns_and_accepts()
    {
        const string province = "12"; // Lai Châu: 38 communes
        const string period = "2031-Y";
        var at = new DateOnly(2031, 12, 14);
        var communes = fixture.Units.ChildrenOf(province, at).Select(c => c.Code).ToList();
        Assert.Equal(38, communes.Count);
        var random = new Random(2031);
        var counted = communes.ToDictionary(c => c, _ => Spec.RandomValues("Y", random));
        counted[province] = Spec.RandomValues("Y", random, missing: 0.5); // the province office's own work

        await Parallel.ForEachAsync(communes, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (code, _) => await SubmitAsync(code, AntqRoles.CommuneOfficer, period, counted[code]));
        await SubmitAsync(province, AntqRoles.ProvinceOfficer, period, counted[province]);
        await AssertRollupsAsync(period, at, counted, province, "BCA", communes[0]);

        using var officer = fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, province);
        var returned = communes.Take(5).ToList();
        foreach (var code in returned)
        {
            var body = await officer.PostJsonAsync($"/api/reports/{code}/{period}/return", new { reason = "Số liệu chưa khớp với sổ theo dõi, đề nghị kiểm tra lại." }).OkJsonAsync();
            Assert.Equal("returned", body.GetProperty("status").GetString());
            counted.Remove(code);
        }

        foreach (var code in communes.Skip(5).Take(3))
            await officer.PostJsonAsync($"/api/reports/{code}/{period}/accept").OkJsonAsync();
        await AssertRollupsAsync(period, at, counted, province, "BCA");

        var rollup = await officer.GetAsync($"/api/rollups/{province}/{period}").OkJsonAsync();
        Assert.Equal("Tỉnh Lai Châu", rollup.GetProperty("orgUnit").GetProperty("name").GetString());
        var completeness = rollup.GetProperty("completeness");
        Assert.Equal(38, completeness.GetProperty("expected").GetInt32());
        Assert.Equal(33, completeness.GetProperty("submitted").GetInt32());
        Assert.Equal(3, completeness.GetProperty("accepted").GetInt32());
        Assert.Equal(33, completeness.GetProperty("onTime").GetInt32());
        Assert.Equal(0, completeness.GetProperty("late").GetInt32());
        Assert.Equal(5, completeness.GetProperty("missing").GetInt32());

        var children = await officer.GetAsync($"/api/rollups/{province}/{period}/children").OkJsonAsync();
        var statuses = children.GetProperty("children").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(communes.Order(StringComparer.Ordinal), statuses.Keys);
        Assert.All(returned, code => Assert.Equal("returned", statuses[code]));
        Assert.Equal(3, statuses.Values.Count(s => s == "accepted"));

        // A returned report, fixed and resubmitted, counts again.
        var fixedValues = Spec.RandomValues("Y", random);
        using (var commune = fixture.As($"cb-{returned[0]}", AntqRoles.CommuneOfficer, returned[0]))
        {
            var current = await commune.GetAsync($"/api/reports/{returned[0]}/{period}");
            var etag = current.Headers.ETag!.Tag;
            var body = Spec.Body(fixedValues.ToDictionary(v => v.Key, v => v.Value));
            foreach (var code in Spec.Entered("Y").Select(i => i.Code).Where(c => !fixedValues.ContainsKey(c))) body[code] = null; // cleared
            await commune.PutJsonAsync($"/api/reports/{returned[0]}/{period}", new { values = body }, etag).OkJsonAsync();
            await commune.PostJsonAsync($"/api/reports/{returned[0]}/{period}/submit").OkJsonAsync();
        }

        counted[returned[0]] = fixedValues;
        await AssertRollupsAsync(period, at, counted, province, "BCA");
    }

    [Theory]
    [InlineData("2024-Y", 2024, 12, 14)]
    [InlineData("2025-H1", 2025, 6, 14)]
    public async Task Every_commune_of_a_three_tier_province_submits_and_districts_and_the_province_roll_up_through_the_old_tree(
        string period, int year, int month, int day)
    {
        const string province = "48"; // Đà Nẵng before the reform: 8 districts, 47 communes
        var at = new DateOnly(year, month, day);
        var kind = period[5..];
        var districts = fixture.Units.ChildrenOf(province, at).Select(d => d.Code).ToList();
        Assert.Equal(8, districts.Count);
        var communes = districts.SelectMany(d => fixture.Units.ChildrenOf(d, at)).Select(c => c.Code).ToList();
        Assert.Equal(47, communes.Count);
        var random = new Random(year * 10 + month);
        var counted = communes.ToDictionary(c => c, _ => Spec.RandomValues(kind, random));
        foreach (var district in districts.Take(3)) counted[district] = Spec.RandomValues(kind, random, missing: 0.4);

        await Parallel.ForEachAsync(communes, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (code, _) => await SubmitAsync(code, AntqRoles.CommuneOfficer, period, counted[code]));
        foreach (var district in districts.Take(3)) await SubmitAsync(district, AntqRoles.DistrictOfficer, period, counted[district]);
        await AssertRollupsAsync(period, at, counted, [province, "BCA", .. districts]);

        // The district reviews its own communes: returning two of them moves the district, the province and the root.
        var district0 = districts[0];
        var ofDistrict0 = fixture.Units.ChildrenOf(district0, at).Select(c => c.Code).ToList();
        using (var reviewer = fixture.As("bcd-huyen", AntqRoles.DistrictOfficer, district0))
        {
            foreach (var code in ofDistrict0.Take(2))
            {
                await reviewer.PostJsonAsync($"/api/reports/{code}/{period}/return", new { reason = "Thiếu số liệu hòa giải." }).OkJsonAsync();
                counted.Remove(code);
            }

            // The province does not review communes directly in the three-tier era.
            using var provinceOfficer = fixture.As("pv01-danang", AntqRoles.ProvinceOfficer, province);
            using var refused = await provinceOfficer.PostJsonAsync($"/api/reports/{ofDistrict0[2]}/{period}/accept");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await AssertRollupsAsync(period, at, counted, province, "BCA", district0);

        var rollup = await fixture.Admin.GetAsync($"/api/rollups/{province}/{period}").OkJsonAsync();
        var completeness = rollup.GetProperty("completeness");
        Assert.Equal(8, completeness.GetProperty("expected").GetInt32());
        Assert.Equal(3, completeness.GetProperty("submitted").GetInt32());
        Assert.Equal(5, completeness.GetProperty("missing").GetInt32());
        var ofDistrict = await fixture.Admin.GetAsync($"/api/rollups/{district0}/{period}").OkJsonAsync();
        Assert.Equal(ofDistrict0.Count, ofDistrict.GetProperty("completeness").GetProperty("expected").GetInt32());
        Assert.Equal(ofDistrict0.Count - 2, ofDistrict.GetProperty("completeness").GetProperty("submitted").GetInt32());
    }

    [Fact]
    public async Task A_period_rolls_up_through_the_tree_valid_at_the_end_of_its_data_window()
    {
        // 00004 is Phường Trúc Bạch under district 001 before the reform, Phường Ba Đình under Hà Nội after.
        using var client = fixture.As("cb-00004", AntqRoles.CommuneOfficer, "00004");
        foreach (var period in new[] { "2023-Y", "2026-H1" })
        {
            await client.PutJsonAsync($"/api/reports/00004/{period}", new { values = new Dictionary<string, int> { ["CONF_BRIEFINGS"] = 7 } }).OkJsonAsync();
            await client.PostJsonAsync($"/api/reports/00004/{period}/submit").OkJsonAsync();
        }

        var before = await fixture.Admin.GetAsync("/api/reports/00004/2023-Y").OkJsonAsync();
        var after = await fixture.Admin.GetAsync("/api/reports/00004/2026-H1").OkJsonAsync();
        Assert.Equal("001", before.GetProperty("reportsToCode").GetString());
        Assert.Equal("01", after.GetProperty("reportsToCode").GetString());
        var district = await fixture.Admin.GetAsync("/api/rollups/001/2023-Y").OkJsonAsync();
        Assert.Equal(7, district.GetProperty("values").GetProperty("CONF_BRIEFINGS").GetProperty("value").GetDecimal());
        using var gone = await fixture.Admin.GetAsync("/api/rollups/001/2026-H1");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode); // districts no longer exist on 14/06/2026
        var hanoi = await fixture.Admin.GetAsync("/api/rollups/01/2026-H1").OkJsonAsync();
        Assert.Equal(1, hanoi.GetProperty("values").GetProperty("CONF_BRIEFINGS").GetProperty("reports").GetInt32());
    }
}
