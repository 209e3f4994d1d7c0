using System.Net;
using System.Text.Json;
using Antq.ServiceDefaults;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>One indicator across the units below a unit (the portal's bars): each child's figure is its own roll-up.</summary>
[Collection(ReportingCollection.Name)]
public sealed class ChildrenIndicatorTests(ReportingFixture fixture)
{
    static readonly Spec Spec = Spec.Catalogue;
    const string Province = "12"; // Lai Châu: 38 communes
    const string Period = "2033-H1";

    [Fact]
    public async Task Each_child_shows_the_indicator_of_its_own_rollup_and_a_child_without_a_report_shows_none()
    {
        var communes = fixture.Units.ChildrenOf(Province, new DateOnly(2033, 6, 14)).Select(c => c.Code).ToList();
        var random = new Random(2033);
        var reported = communes.Take(4).ToList();
        foreach (var code in reported)
        {
            using var client = fixture.As($"cb-{code}", AntqRoles.CommuneOfficer, code);
            await client.PutJsonAsync($"/api/reports/{code}/{Period}", new { values = Spec.Body(Spec.RandomValues("H1", random, missing: 0)) }).OkJsonAsync();
            await client.PostJsonAsync($"/api/reports/{code}/{Period}/submit").OkJsonAsync();
        }

        using var officer = fixture.As("pv01-laichau-bieudo", AntqRoles.ProvinceOfficer, Province);
        // A summed indicator and a computed one: both as each child's own roll-up gives them.
        foreach (var indicator in Spec.Indicators.Where(i => i.AskedIn("H1")).Where(i => i.Aggregation == "sum").Take(1)
                     .Concat(Spec.Indicators.Where(i => i.AskedIn("H1") && i.Aggregation == "ratio").Take(1)))
        {
            var answer = await officer.GetAsync($"/api/rollups/{Province}/{Period}/children/{indicator.Code}").OkJsonAsync();
            Assert.Equal(indicator.Code, answer.GetProperty("indicator").GetString());
            Assert.False(string.IsNullOrEmpty(answer.GetProperty("indicatorName").GetString()));
            var rows = answer.GetProperty("children").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
            Assert.Equal(communes.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
            foreach (var code in reported)
            {
                var own = (await officer.GetAsync($"/api/rollups/{code}/{Period}").OkJsonAsync()).GetProperty("values").GetProperty(indicator.Code);
                Assert.Equal(own.GetProperty("value").ToString(), rows[code].GetProperty("value").ToString());
                Assert.Equal(own.GetProperty("reports").GetInt32(), rows[code].GetProperty("reports").GetInt32());
                if (indicator.Aggregation == "sum") Assert.Equal(JsonValueKind.Number, rows[code].GetProperty("value").ValueKind);
            }

            var silent = rows[communes[^1]];
            Assert.Equal(JsonValueKind.Null, silent.GetProperty("value").ValueKind);
            Assert.Equal(0, silent.GetProperty("reports").GetInt32());
        }

        using var unknown = await officer.GetAsync($"/api/rollups/{Province}/{Period}/children/KHONG_CO");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("không có trong danh mục", (await unknown.ReadJsonAsync()).GetProperty("detail").GetString());

        using var outsider = fixture.As("pv01-khac", AntqRoles.ProvinceOfficer, "01");
        using var refused = await outsider.GetAsync($"/api/rollups/{Province}/{Period}/children/{Spec.Indicators[0].Code}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
