using System.Net;
using Antq.ServiceDefaults;
using static Antq.Plan.IntegrationTests.PlanApi;

namespace Antq.Plan.IntegrationTests;

/// <summary>
/// What an account reads of units, plans and deadlines: its own unit's subtree, and the ancestors where it must see
/// where it sits and what it implements. Hà Nội (01) with Phường Ba Đình (00004, its residential area 00004-TDP01) and
/// Phường Ngọc Hà (00008); Hồ Chí Minh (79) with Phường Sài Gòn (25747). Plans of 2041, which no other test uses.
/// </summary>
[Collection(PlansCollection.Name)]
public sealed class ScopeTests(PlansFixture fixture)
{
    const int Year = 2041;

    HttpClient Commune => fixture.Officer("00004", AntqRoles.CommuneOfficer);

    static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path) => (await SendAsync(client, HttpMethod.Get, path)).Status;

    static async Task AssertRefusedInVietnameseAsync(HttpClient client, string path)
    {
        var (status, problem) = await SendAsync(client, HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.Forbidden, $"{path} answered {(int)status}: {problem}");
        Assert.Equal("Không có quyền thực hiện thao tác này", problem.GetProperty("title").GetString());
        Assert.StartsWith("Tài khoản của bạn không được xem", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_commune_officer_reads_its_unit_the_units_below_it_and_its_province_but_not_a_sibling_or_another_province()
    {
        var commune = Commune;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, "/api/org-units/00004"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, "/api/org-units/00004-TDP01"));
        var (status, province) = await SendAsync(commune, HttpMethod.Get, "/api/org-units/01");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Thành phố Hà Nội", province.GetProperty("name").GetString());

        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/00008");
        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/79");
        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/25747");
    }

    [Fact]
    public async Task Children_and_lineage_are_only_for_units_of_the_subtree_so_a_commune_cannot_list_its_provinces_communes()
    {
        var commune = Commune;
        var (status, below) = await SendAsync(commune, HttpMethod.Get, "/api/org-units/00004/children");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(below.GetProperty("children").EnumerateArray(), c => c.GetProperty("code").GetString() == "00004-TDP01");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, "/api/org-units/00004/lineage"));

        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/01/children");
        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/01/lineage");
        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/25747/children");

        var (provinceStatus, communes) = await SendAsync(fixture.Officer("01"), HttpMethod.Get, "/api/org-units/01/children");
        Assert.Equal(HttpStatusCode.OK, provinceStatus);
        Assert.Equal(126, communes.GetProperty("children").GetArrayLength());
    }

    [Fact]
    public async Task The_relation_is_the_one_of_the_asOf_date_since_codes_were_reused_in_the_reform()
    {
        // Before 1 July 2025 code 00004 was Phường Trúc Bạch in Quận Ba Đình (001); the district was abolished at the reform.
        var commune = Commune;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, "/api/org-units/001?asOf=2025-06-01"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(commune, "/api/org-units/001"));
        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/002?asOf=2025-06-01"); // Quận Hoàn Kiếm: another district then
        await AssertRefusedInVietnameseAsync(commune, "/api/org-units/001/children?asOf=2025-06-01"); // an ancestor, not the subtree

        // The district's officer then saw its wards, and no longer sees anything below a district that does not exist.
        var district = fixture.Officer("001", AntqRoles.DistrictOfficer);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(district, "/api/org-units/00004?asOf=2025-06-01"));
        await AssertRefusedInVietnameseAsync(district, "/api/org-units/00004");
    }

    [Fact]
    public async Task Search_answers_only_units_of_the_subtree_and_the_ancestors_at_the_date()
    {
        static async Task<List<string>> CodesAsync(HttpClient client, string query)
        {
            var (status, body) = await SendAsync(client, HttpMethod.Get, "/api/org-units?" + query);
            Assert.True(status == HttpStatusCode.OK, $"{query} answered {(int)status}: {body}");
            return [.. body.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()!)];
        }

        var everyWard = await CodesAsync(fixture.Admin, "search=phuong&kind=Commune&limit=500");
        Assert.True(everyWard.Count > 100, $"the admin found only {everyWard.Count} wards");

        Assert.Equal(["00004"], await CodesAsync(Commune, "search=phuong&kind=Commune&limit=500"));
        Assert.Equal(["01"], await CodesAsync(Commune, "search=ha%20noi&kind=Province"));
        Assert.Empty(await CodesAsync(Commune, "search=sai%20gon"));
        Assert.Equal(["00004"], await CodesAsync(Commune, "search=ba%20dinh"));
        Assert.Equal(["00004-TDP01"], await CodesAsync(Commune, "search=to%20dan%20pho"));

        var hanoiWards = await CodesAsync(fixture.Officer("01"), "search=phuong&kind=Commune&limit=500");
        Assert.Contains("00004", hanoiWards);
        Assert.Contains("00008", hanoiWards);
        Assert.DoesNotContain("25747", hanoiWards);
        Assert.True(hanoiWards.Count < everyWard.Count);

        // At a date before the reform the commune's ancestors were a district and the old province.
        Assert.Equal(["001"], await CodesAsync(Commune, "search=ba%20dinh&kind=District&asOf=2025-06-01"));
    }

    [Fact]
    public async Task A_commune_reads_the_province_plan_it_implements_and_its_own_but_not_another_provinces_nor_the_provinces_cascade()
    {
        var provinceOfficer = fixture.Officer("01");
        var provincePlan = await CreateAndIssueAsync(provinceOfficer, Draft("01", Year));
        var communePlan = await CreateAndIssueAsync(Commune, Draft("00004", Year, parentPlanId: provincePlan));
        var otherProvincePlan = await CreateAndIssueAsync(fixture.Officer("79"), Draft("79", Year));

        var commune = Commune;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, $"/api/plans/{provincePlan}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, $"/api/plans/{communePlan}"));
        await AssertRefusedInVietnameseAsync(commune, $"/api/plans/{otherProvincePlan}");

        var (status, list) = await SendAsync(commune, HttpMethod.Get, $"/api/plans?year={Year}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { communePlan, provincePlan }.Order(), list.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).Order());
        var (_, asked) = await SendAsync(commune, HttpMethod.Get, $"/api/plans?issuer=79&year={Year}");
        Assert.Empty(asked.GetProperty("plans").EnumerateArray());

        // The cascade lists every commune's status: for the province and above, not for a commune below it.
        await AssertRefusedInVietnameseAsync(commune, $"/api/plans/{provincePlan}/cascade");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, $"/api/plans/{communePlan}/cascade"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(provinceOfficer, $"/api/plans/{provincePlan}/cascade"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(provinceOfficer, $"/api/plans/{communePlan}"));
        await AssertRefusedInVietnameseAsync(provinceOfficer, $"/api/plans/{otherProvincePlan}");
        await AssertRefusedInVietnameseAsync(provinceOfficer, $"/api/plans/{otherProvincePlan}/cascade");
    }

    [Fact]
    public async Task Deadlines_are_read_for_the_subtree_only()
    {
        await CreateAndIssueAsync(fixture.Officer("01"), Draft("01", Year + 1));
        await CreateAndIssueAsync(fixture.Officer("79"), Draft("79", Year + 1));
        var period = $"{Year + 1}-H1";

        var commune = Commune;
        var own = await DeadlineAsync(commune, "00004", period);
        Assert.Equal("01", own.GetProperty("reportsToCode").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(commune, $"/api/deadlines/00004-TDP01/{period}"));

        await AssertRefusedInVietnameseAsync(commune, $"/api/deadlines/00008/{period}");
        await AssertRefusedInVietnameseAsync(commune, $"/api/deadlines/25747/{period}");
        await AssertRefusedInVietnameseAsync(commune, $"/api/deadlines/01/{period}");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(fixture.Officer("01"), $"/api/deadlines/00008/{period}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(fixture.Admin, $"/api/deadlines/25747/{period}"));
    }

    [Fact]
    public async Task A_viewer_has_the_same_reading_scope_as_an_officer_of_its_unit()
    {
        var viewer = fixture.Plan.CreateClientAs("xem.00004", AntqRoles.Viewer, "00004");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(viewer, "/api/org-units/01"));
        await AssertRefusedInVietnameseAsync(viewer, "/api/org-units/00008");
        var (_, body) = await SendAsync(viewer, HttpMethod.Get, "/api/org-units?search=phuong&kind=Commune");
        Assert.Equal(["00004"], body.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()));
    }
}
