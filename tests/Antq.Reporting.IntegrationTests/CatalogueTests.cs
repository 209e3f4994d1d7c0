using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Antq.ServiceDefaults;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>The shipped default catalogue, as the service answers it (nothing here publishes another).</summary>
[Collection(ReportingCollection.Name)]
public sealed class IndicatorsTests(ReportingFixture fixture)
{
    [Fact]
    public async Task The_catalogue_in_force_for_a_period_lists_what_that_period_asks()
    {
        var h1 = await fixture.Admin.GetAsync("/api/indicators?period=2026-H1").OkJsonAsync();
        var y = await fixture.Admin.GetAsync("/api/indicators?period=2026-Y").OkJsonAsync();
        Assert.Equal("2026.1", h1.GetProperty("version").GetString());
        var h1Codes = h1.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        var yCodes = y.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        Assert.Equal(Spec.Catalogue.Indicators.Where(i => i.AskedIn("H1")).Select(i => i.Code), h1Codes);
        Assert.Equal(Spec.Catalogue.Indicators.Where(i => i.AskedIn("Y")).Select(i => i.Code), yCodes);
        Assert.DoesNotContain("KDC_SAFE", h1Codes);
        // A rule on an indicator the six-month report does not ask cannot apply to it.
        Assert.DoesNotContain(h1.GetProperty("rules").EnumerateArray(), r => r.GetProperty("code").GetString() == "R_KDC_SAFE");
        Assert.Equal(8, y.GetProperty("rules").GetArrayLength());
        Assert.Equal(5, h1.GetProperty("narrativeSections").GetArrayLength());
        Assert.Equal("Sơ kết 6 tháng đầu năm 2026", h1.GetProperty("periodName").GetString());
        using var bad = await fixture.Admin.GetAsync("/api/indicators?period=2026");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

/// <summary>Catalogue versions: the shipped default, publishing a new one, and reports keeping theirs. Own database: it changes the catalogue in force.</summary>
public sealed class CatalogueTests(CatalogueTests.Fixture fixture) : IClassFixture<CatalogueTests.Fixture>
{
    public sealed class Fixture : ReportingFixture;

    [Fact]
    public async Task A_new_version_applies_to_reports_saved_after_it_and_never_rewrites_submitted_ones()
    {
        const string period = "2027-H1";
        var communes = fixture.Units.ChildrenOf("12", new DateOnly(2027, 6, 14)).Select(c => c.Code).ToList();
        using var before = fixture.As($"cb-{communes[0]}", AntqRoles.CommuneOfficer, communes[0]);
        await before.PutJsonAsync($"/api/reports/{communes[0]}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 2 } }).OkJsonAsync();
        await before.PostAsync($"/api/reports/{communes[0]}/{period}/submit", null).OkJsonAsync();

        var json = JsonNode.Parse(DefaultCatalogue.RawJson)!;
        json["version"] = "2027.1";
        json["indicators"]!.AsArray().Add(JsonNode.Parse("""
            {"code": "CAMERAS", "section": "F", "name": "Số camera an ninh lắp đặt mới", "unit": "camera", "valueType": "integer",
             "aggregation": "sum", "periods": ["H1", "Y"]}
            """));
        json["rules"]!.AsArray().Add(JsonNode.Parse("""{"code": "R_CAMERAS", "expression": "CAMERAS <= 1000", "message": "Số camera không được quá 1.000"}"""));

        using var commune = fixture.As("cb", AntqRoles.CommuneOfficer, communes[1]);
        using var forbidden = await commune.PutAsync("/api/indicators/catalogue", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var broken = json.DeepClone();
        broken["rules"]!.AsArray().Add(JsonNode.Parse("""{"code": "R_X", "expression": "NO_SUCH <= CAMERAS", "message": "x"}"""));
        using var refused = await fixture.Admin.PutAsync("/api/indicators/catalogue", new StringContent(broken.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Quy tắc R_X dùng mã chỉ tiêu không có trong danh mục: NO_SUCH.", (await refused.ReadJsonAsync()).Errors()["catalogue"]);
        Assert.Equal("2026.1", (await fixture.Admin.GetAsync("/api/indicators?period=2027-H1").OkJsonAsync()).GetProperty("version").GetString());

        await fixture.Admin.PutAsync("/api/indicators/catalogue", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json")).OkJsonAsync();
        using var again = await fixture.Admin.PutAsync("/api/indicators/catalogue", new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var inForce = await fixture.Admin.GetAsync("/api/indicators?period=2027-H1").OkJsonAsync();
        Assert.Equal("2027.1", inForce.GetProperty("version").GetString());
        Assert.Contains(inForce.GetProperty("indicators").EnumerateArray(), i => i.GetProperty("code").GetString() == "CAMERAS");

        // Saved after: the new indicator and its rule apply.
        await commune.PutJsonAsync($"/api/reports/{communes[1]}/{period}", new { values = new Dictionary<string, int> { ["CAMERAS"] = 1001 } }).OkJsonAsync();
        using var tooMany = await commune.PostAsync($"/api/reports/{communes[1]}/{period}/submit", null);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(["Số camera không được quá 1.000"], (await tooMany.ReadJsonAsync()).Errors()["CAMERAS"]);
        var saved = await commune.GetAsync($"/api/reports/{communes[1]}/{period}").OkJsonAsync();
        Assert.Equal("2027.1", saved.GetProperty("catalogueVersion").GetString());

        // Submitted before: keeps its version and its values.
        var old = await before.GetAsync($"/api/reports/{communes[0]}/{period}").OkJsonAsync();
        Assert.Equal("2026.1", old.GetProperty("catalogueVersion").GetString());
        Assert.Equal(2, old.GetProperty("values").GetProperty("FORUMS").GetInt32());
        var rollup = await fixture.Admin.GetAsync($"/api/rollups/12/{period}").OkJsonAsync();
        Assert.Equal(2, rollup.GetProperty("values").GetProperty("FORUMS").GetProperty("value").GetDecimal());
        Assert.Equal(0, rollup.GetProperty("values").GetProperty("CAMERAS").GetProperty("reports").GetInt32());
    }
}
