using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.Messaging;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Antq.Plan.IntegrationTests;

[Collection(UnitTreeCollection.Name)]
public sealed class OrgUnitsApiTests(UnitTreeFixture fixture, ITestOutputHelper output)
{
    static List<JsonElement> Items(JsonElement body, string property) => [.. body.GetProperty(property).EnumerateArray()];

    static string Code(JsonElement unit) => unit.GetProperty("code").GetString()!;

    [Fact]
    public void Both_real_lists_import_in_seconds_with_their_counts()
    {
        var three = fixture.ThreeTierImport;
        var two = fixture.TwoTierImport;
        output.WriteLine($"three-tier: {three}  ({fixture.ThreeTierElapsed.TotalSeconds:F2} s over HTTP)");
        output.WriteLine($"two-tier:   {two}  ({fixture.TwoTierElapsed.TotalSeconds:F2} s over HTTP)");
        output.WriteLine($"merges:     {fixture.MergesElapsed.TotalSeconds:F2} s over HTTP");
        Console.WriteLine($"IMPORT TIMES: three-tier {fixture.ThreeTierElapsed.TotalSeconds:F2} s, two-tier {fixture.TwoTierElapsed.TotalSeconds:F2} s, merges {fixture.MergesElapsed.TotalSeconds:F2} s");

        Assert.Equal("ThreeTier", three.GetProperty("format").GetString());
        Assert.Equal("2020-01-01", three.GetProperty("effectiveFrom").GetString());
        Assert.Equal(63 + 696 + 10035 + 1, three.GetProperty("created").GetInt32()); // and the root, BCA
        Assert.Equal(10035, three.GetProperty("byKind").GetProperty("Commune").GetProperty("created").GetInt32());

        Assert.Equal("TwoTier", two.GetProperty("format").GetString());
        Assert.Equal(696, two.GetProperty("byKind").GetProperty("District").GetProperty("closed").GetInt32());
        Assert.Equal(3321, two.GetProperty("byKind").GetProperty("Commune").GetProperty("created").GetInt32());
        Assert.True(fixture.ThreeTierElapsed < TimeSpan.FromSeconds(30), $"three-tier import took {fixture.ThreeTierElapsed}");
    }

    [Fact]
    public async Task Province_38_after_the_reform_has_exactly_the_communes_of_the_two_tier_list()
    {
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(UnitTreeFixture.Dvhc("units-2026-07-two-tier.json")));
        var expected = doc.RootElement.EnumerateArray().Single(p => p.GetProperty("Code").GetString() == "38")
            .GetProperty("Wards").EnumerateArray().Select(w => w.GetProperty("Code").GetString()!).Order().ToList();

        var body = await fixture.GetJsonAsync("/api/org-units/38/children?asOf=2026-01-01");
        var children = Items(body, "children");
        Assert.Equal(expected, children.Select(Code).Order().ToList());
        Assert.All(children, c => Assert.Equal("Commune", c.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Province_38_before_the_reform_has_the_districts_of_the_three_tier_list_each_with_its_communes()
    {
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(UnitTreeFixture.Dvhc("units-2025-06-three-tier.json")));
        var province = doc.RootElement.EnumerateArray().Single(p => p.GetProperty("Code").GetString() == "38");
        var districts = province.GetProperty("District").EnumerateArray().ToList();

        var body = await fixture.GetJsonAsync("/api/org-units/38/children?asOf=2025-06-01");
        var children = Items(body, "children");
        Assert.Equal(districts.Select(d => d.GetProperty("Code").GetString()!).Order(), children.Select(Code).Order());
        Assert.All(children, c => Assert.Equal("District", c.GetProperty("kind").GetString()));

        foreach (var district in districts)
        {
            var code = district.GetProperty("Code").GetString()!;
            var expected = district.GetProperty("Ward").ValueKind == JsonValueKind.Array
                ? district.GetProperty("Ward").EnumerateArray().Select(w => w.GetProperty("Code").GetString()!).Order().ToList()
                : [];
            var communes = Items(await fixture.GetJsonAsync($"/api/org-units/{code}/children?asOf=2025-06-01"), "children");
            Assert.Equal(expected, communes.Select(Code).Order().ToList());
        }
    }

    [Fact]
    public async Task A_reused_code_answers_a_different_unit_on_each_side_of_the_reform()
    {
        var before = await fixture.GetJsonAsync("/api/org-units/00004?asOf=2025-06-01");
        var after = await fixture.GetJsonAsync("/api/org-units/00004?asOf=2026-01-01");
        Assert.Equal("Phường Trúc Bạch", before.GetProperty("name").GetString());
        Assert.Equal("Phường Ba Đình", after.GetProperty("name").GetString());
        Assert.Equal("2025-07-01", before.GetProperty("validTo").GetString());
        Assert.Equal(["BCA", "01", "001"], Items(before, "path").Select(Code));
        Assert.Equal(["BCA", "01"], Items(after, "path").Select(Code));
        Assert.Equal("Phuong", after.GetProperty("communeKind").GetString());
    }

    [Fact]
    public async Task Importing_the_same_files_again_changes_nothing()
    {
        var (three, _) = await fixture.PostFileAsync("/api/org-units/import?effectiveFrom=2020-01-01", UnitTreeFixture.Dvhc("units-2025-06-three-tier.json"));
        var (two, _) = await fixture.PostFileAsync("/api/org-units/import?effectiveFrom=2025-07-01", UnitTreeFixture.Dvhc("units-2026-07-two-tier.json"));
        foreach (var answer in new[] { three, two })
        {
            Assert.Equal(0, answer.GetProperty("created").GetInt32());
            Assert.Equal(0, answer.GetProperty("closed").GetInt32());
        }

        Assert.Equal(63 + 696 + 10035, three.GetProperty("unchanged").GetInt32());
        Assert.Equal(34 + 3321, two.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_in_Vietnamese_and_nothing_is_imported()
    {
        var json = """[{"Code":"98","FullName":"Tỉnh Thử Nghiệm","Wards":[{"Code":"99001","FullName":"Xã Một","ProvinceCode":"98"},{"Code":"99002","FullName":"Khu Hai","ProvinceCode":"98"}]}]""";
        using var response = await fixture.Admin.PostAsync("/api/org-units/import?effectiveFrom=2026-02-01",
            new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString()!;
        output.WriteLine(detail);
        Assert.Contains("Tỉnh thứ 1 (mã 98), xã thứ 2 (mã 99002)", detail);
        Assert.Contains("không bắt đầu bằng Xã, Phường, Đặc khu hay Thị trấn", detail);

        using var unit = await fixture.Viewer.GetAsync("/api/org-units/99001?asOf=2026-03-01");
        Assert.Equal(HttpStatusCode.NotFound, unit.StatusCode);
        var stillThere = await fixture.GetJsonAsync("/api/org-units/38/children?asOf=2026-03-01");
        Assert.Equal(166, Items(stillThere, "children").Count);
    }

    [Fact]
    public async Task An_unknown_code_is_a_Vietnamese_404()
    {
        using var response = await fixture.Viewer.GetAsync("/api/org-units/001?asOf=2026-01-01"); // Quận Ba Đình: gone since 1 July 2025
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Không tìm thấy", problem.GetProperty("title").GetString());
        Assert.Equal("Không có đơn vị mã 001 vào ngày 01/01/2026.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Search_finds_names_without_diacritics_as_of_a_date()
    {
        var body = await fixture.GetJsonAsync("/api/org-units?search=ngoc%20lien&asOf=2026-01-01");
        var units = Items(body, "units");
        Assert.NotEmpty(units);
        Assert.All(units, u => Assert.Contains("Ngọc Liên", u.GetProperty("name").GetString()));
        var hanoi = Items(await fixture.GetJsonAsync("/api/org-units?search=HA%20NOI&kind=Province&asOf=2025-06-01"), "units");
        Assert.Equal("01", Code(Assert.Single(hanoi)));
    }

    [Fact]
    public async Task Lineage_answers_whole_and_partial_predecessors_and_successors()
    {
        var after = await fixture.GetJsonAsync("/api/org-units/00004/lineage?asOf=2026-01-01");
        var predecessors = Items(after, "predecessors").ToDictionary(Code, p => p.GetProperty("partial").GetBoolean());
        Assert.False(predecessors["00013"]); // Phường Quán Thánh, whole
        Assert.False(predecessors["00004"]); // Phường Trúc Bạch, whole (the code it gave to the new unit)
        Assert.True(predecessors["00028"]);  // Phường Kim Mã, part

        var before = await fixture.GetJsonAsync("/api/org-units/00028/lineage?asOf=2025-06-01");
        var successors = Items(before, "successors").ToDictionary(Code, p => p.GetProperty("partial").GetBoolean());
        Assert.True(successors["00004"]);  // part of Kim Mã went to Ba Đình
        Assert.True(successors["00025"]);  // the rest to Giảng Võ

        var merges = fixture.MergesImport;
        output.WriteLine($"whole predecessors resolved: {merges.GetProperty("wholePredecessorsResolved")}/{merges.GetProperty("wholePredecessorsNamed")} = {merges.GetProperty("wholeResolutionPercent")} %; unresolved listed: {merges.GetProperty("unresolved").GetArrayLength()}");
        Assert.True(merges.GetProperty("wholeResolutionPercent").GetDouble() >= 95);
        Assert.NotEmpty(Items(merges, "unresolved"));
        Assert.All(Items(merges, "unresolved"), u => Assert.False(string.IsNullOrEmpty(u.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task Units_below_the_commune_are_added_one_by_one_and_by_CSV()
    {
        using var one = await fixture.Admin.PostAsJsonAsync("/api/org-units", new
        {
            code = "KDC-00004-01", name = "Tổ dân phố số 1", kind = "ResidentialArea", parentCode = "00004", validFrom = "2026-01-01",
        });
        Assert.Equal(HttpStatusCode.Created, one.StatusCode);

        var csv = new StringContent("code,name,kind,parentCode\nKDC-00004-02,Tổ dân phố số 2,ResidentialArea,00004\nTH-00004-01,\"Trường Tiểu học Ba Đình, cơ sở 1\",School,00004\n", Encoding.UTF8);
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var bulk = await fixture.Admin.PostAsync("/api/org-units/import?effectiveFrom=2026-01-01", csv);
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(2, (await bulk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());

        var children = Items(await fixture.GetJsonAsync("/api/org-units/00004/children?asOf=2026-02-01"), "children");
        Assert.Equal(["KDC-00004-01", "KDC-00004-02", "TH-00004-01"], children.Select(Code));
        var school = await fixture.GetJsonAsync("/api/org-units/TH-00004-01?asOf=2026-02-01");
        Assert.Equal(["BCA", "01", "00004"], Items(school, "path").Select(Code));

        using var orphan = await fixture.Admin.PostAsJsonAsync("/api/org-units", new { code = "KDC-X", name = "Thôn X", kind = "ResidentialArea", parentCode = "001", validFrom = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, orphan.StatusCode);
        Assert.Contains("không có đơn vị cấp trên mã 001", (await orphan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_file_saved_by_Excel_as_CSV_UTF8_with_semicolons_imports_its_units()
    {
        // Byte for byte what Excel writes: BOM, ';' separators, CRLF, a quoted name holding a comma (see CsvUnitFileTests).
        byte[] bytes =
        [
            0xEF, 0xBB, 0xBF,
            .. Encoding.UTF8.GetBytes("code;name;kind;parentCode\r\nKDC-00008-01;Tổ dân phố Trung Hòa;ResidentialArea;00008\r\n" +
                                      "TH-00008-01;\"Trường Tiểu học Ngọc Hà, cơ sở 2\";School;00008\r\n"),
        ];
        var csv = new ByteArrayContent(bytes);
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await fixture.Admin.PostAsync("/api/org-units/import?effectiveFrom=2026-01-01", csv);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());

        var school = await fixture.GetJsonAsync("/api/org-units/TH-00008-01?asOf=2026-02-01");
        Assert.Equal("Trường Tiểu học Ngọc Hà, cơ sở 2", school.GetProperty("name").GetString());
        Assert.Equal("School", school.GetProperty("kind").GetString());
        Assert.Equal("Tổ dân phố Trung Hòa", (await fixture.GetJsonAsync("/api/org-units/KDC-00008-01?asOf=2026-02-01")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_CSV_file_past_the_row_limit_is_refused_with_413_naming_the_limit()
    {
        var rows = new StringBuilder("code;name;kind;parentCode\r\n");
        for (var i = 0; i <= new Antq.Plan.Api.Units.UnitFileLimits().MaxRows; i++) rows.Append($"KDC-L{i};Thôn {i};ResidentialArea;00008\r\n");
        var csv = new StringContent(rows.ToString(), Encoding.UTF8);
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await fixture.Admin.PostAsync("/api/org-units/import?effectiveFrom=2026-01-01", csv);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("UnitFiles:MaxRows", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using var absent = await fixture.Admin.GetAsync("/api/org-units/KDC-L0?asOf=2026-02-01");
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Fact]
    public async Task Each_import_is_announced_as_an_administrative_act_from_the_same_outbox_as_its_changes()
    {
        const string actType = "Antq.Contracts.Audit.AdministrativeActPerformed, Antq.Contracts";
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var acts = (await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType == actType).OrderBy(m => m.Id).ToListAsync())
            .Select(m => JsonDocument.Parse(m.Body).RootElement).ToList();

        var lists = acts.Where(a => a.GetProperty("action").GetString() == "org-units.imported").Select(a => a.GetProperty("subject").GetString()).ToList();
        Assert.Contains("org-units/2020-01-01", lists);
        Assert.Contains("org-units/2025-07-01", lists);
        var merges = Assert.Single(acts, a => a.GetProperty("action").GetString() == "org-units.merges-imported");
        Assert.Equal(("plan", "admin", "lineage/2025-07-01"), (merges.GetProperty("service").GetString(), merges.GetProperty("actor").GetString(), merges.GetProperty("subject").GetString()));
        Assert.Contains($"{fixture.MergesImport.GetProperty("links").GetInt32()} liên kết", merges.GetProperty("detail").GetString());
        var threeTier = acts.First(a => a.GetProperty("subject").GetString() == "org-units/2020-01-01");
        Assert.Contains($"{fixture.ThreeTierImport.GetProperty("created").GetInt32()} tạo mới", threeTier.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_refused_import_announces_nothing()
    {
        const string actType = "Antq.Contracts.Audit.AdministrativeActPerformed, Antq.Contracts";
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var before = await db.Set<OutboxMessage>().CountAsync(m => m.MessageType == actType);

        using var refused = await fixture.Admin.PostAsync("/api/org-units/import", new StringContent("""[{"Code":null,"Wards":"x"}]""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, await db.Set<OutboxMessage>().CountAsync(m => m.MessageType == actType));
    }

    [Fact]
    public async Task Only_an_admin_imports()
    {
        using var response = await fixture.Viewer.PostAsync("/api/org-units/import", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
