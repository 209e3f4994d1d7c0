using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.ServiceDefaults;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>Every rule of the catalogue and every kind of bad value is refused with its Vietnamese message, and nothing is stored.</summary>
[Collection(ReportingCollection.Name)]
public sealed class ValidationTests(ReportingFixture fixture)
{
    static readonly Spec Spec = Spec.Catalogue;
    const string Province = "11"; // Điện Biên

    List<string> Communes(DateOnly at) => [.. fixture.Units.ChildrenOf(Province, at).Select(c => c.Code)];

    async Task AssertNothingCountedAsync(string period)
    {
        var rollup = await fixture.Admin.GetAsync($"/api/rollups/{Province}/{period}").OkJsonAsync();
        Assert.All(rollup.GetProperty("values").EnumerateObject(), v => Assert.Equal(0, v.Value.GetProperty("reports").GetInt32()));
        Assert.Equal(0, rollup.GetProperty("completeness").GetProperty("submitted").GetInt32());
    }

    [Fact]
    public async Task A_report_breaking_any_catalogue_rule_is_refused_with_the_rules_message_and_stays_an_uncounted_draft()
    {
        const string period = "2033-Y";
        var communes = Communes(new DateOnly(2033, 12, 14));
        Assert.Equal(8, Spec.Rules.Count);
        var random = new Random(33);
        foreach (var (rule, code) in Spec.Rules.Zip(communes))
        {
            var values = Spec.RandomValues("Y", random, missing: 0);
            // Break exactly this rule: its left side one more than its right side.
            foreach (var term in rule.Left) values[term] = 0;
            values[rule.Left[0]] = rule.Right.Sum(c => values[c]) + 1;

            using var client = fixture.As($"cb-{code}", AntqRoles.CommuneOfficer, code);
            var saved = await client.PutJsonAsync($"/api/reports/{code}/{period}", new { values = Spec.Body(values) }).OkJsonAsync();
            using var refused = await client.PostJsonAsync($"/api/reports/{code}/{period}/submit");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.ReadJsonAsync();
            var errors = problem.Errors();
            Assert.True(errors.TryGetValue(rule.Left[0], out var messages), $"{rule.Code}: no error for {rule.Left[0]} in {problem}");
            Assert.Contains(rule.Message, messages);
            Assert.Contains(rule.Message, problem.GetProperty("detail").GetString());

            var report = await client.GetAsync($"/api/reports/{code}/{period}").OkJsonAsync();
            Assert.Equal("draft", report.GetProperty("status").GetString());
            Assert.Equal(saved.GetProperty("version").GetInt32(), report.GetProperty("version").GetInt32());
            Assert.DoesNotContain(report.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "submitted");
        }

        await AssertNothingCountedAsync(period);
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "TIPS_TOTAL", "\"mười hai\"", "\"Số nguồn tin do quần chúng cung cấp\" phải là số nguyên (tin)." },
        { "TIPS_TOTAL", "1.5", "\"Số nguồn tin do quần chúng cung cấp\" phải là số nguyên (tin)." },
        { "TIPS_TOTAL", "-3", "\"Số nguồn tin do quần chúng cung cấp\" không được là số âm." },
        { "EXPLOSIVES_KG", "-0.5", "\"Khối lượng vật liệu nổ giao nộp\" không được là số âm." },
        { "EXPLOSIVES_KG", "true", "\"Khối lượng vật liệu nổ giao nộp\" phải là một số (kg)." },
        { "EXPLOSIVES_KG", "1.23456", "\"Khối lượng vật liệu nổ giao nộp\" có quá nhiều chữ số thập phân (tối đa 4)." },
        { "PLAN_ISSUED", "1", "\"Đã ban hành kế hoạch thực hiện phong trào\" phải là có hoặc không (true/false)." },
        { "TIPS_SECRET", "4", "Mã chỉ tiêu không có trong danh mục." },
        { "KDC_SAFE", "3", "\"Số khu dân cư được công nhận đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"\" không thuộc báo cáo sơ kết 6 tháng." },
        { "PCT_TIPS_VALUABLE", "50", "\"Tỷ lệ tin có giá trị\" được tính tự động từ các chỉ tiêu khác, không nhập trực tiếp." },
        { "TINH_HINH", "", "" }, // a narrative section sent as a value: an unknown indicator code
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_refused_with_its_message_and_nothing_is_stored(string code, string json, string message)
    {
        const string period = "2033-H1";
        var commune = Communes(new DateOnly(2033, 6, 14))[(Math.Abs(HashCode.Combine(code, json)) % 20) + 10];
        using var client = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        if (json.Length == 0)
        {
            json = "7";
            message = "Mã chỉ tiêu không có trong danh mục.";
        }

        var body = "{\"values\": {\"CONF_BRIEFINGS\": 4, \"" + code + "\": " + json + "}, \"narrative\": {\"KET_QUA\": \"Đã triển khai.\"}}";
        using var response = await client.PutAsync($"/api/reports/{commune}/{period}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).Errors();
        Assert.Equal([code], errors.Keys);
        Assert.Equal([message], errors[code]);

        // Nothing stored: not the good value, not the narrative, not the report.
        using var read = await client.GetAsync($"/api/reports/{commune}/{period}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task A_bad_save_of_an_existing_report_changes_nothing_and_an_unknown_narrative_section_is_refused()
    {
        const string period = "2033-H1";
        var commune = Communes(new DateOnly(2033, 6, 14))[0];
        using var client = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        using var created = await client.PutJsonAsync($"/api/reports/{commune}/{period}",
            new { values = new Dictionary<string, int> { ["FORUMS"] = 2 }, narrative = new Dictionary<string, string> { ["TINH_HINH"] = "Ổn định." } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var etag = created.Headers.ETag!.Tag;

        var bad = new Dictionary<string, object?>
        {
            ["values"] = new Dictionary<string, JsonNode?> { ["FORUMS"] = 5, ["FORUM_OPINIONS"] = -1 },
            ["narrative"] = new Dictionary<string, string> { ["KET_QUA"] = "Mới.", ["GHI_CHU"] = "?" },
        };
        using var refused = await client.PutJsonAsync($"/api/reports/{commune}/{period}", bad, etag);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync()).Errors();
        Assert.Equal(["FORUM_OPINIONS", "GHI_CHU"], errors.Keys.Order());
        Assert.StartsWith("Mục \"GHI_CHU\" không có trong danh mục", errors["GHI_CHU"][0]);

        var report = await client.GetAsync($"/api/reports/{commune}/{period}").OkJsonAsync();
        Assert.Equal(2, report.GetProperty("values").GetProperty("FORUMS").GetInt32());
        Assert.False(report.GetProperty("narrative").TryGetProperty("KET_QUA", out _));
        Assert.Equal(etag, $"\"{report.GetProperty("version").GetInt32()}\"");
    }

    [Fact]
    public async Task A_bad_period_or_an_unknown_unit_is_refused()
    {
        using var bad = await fixture.Admin.GetAsync("/api/rollups/11/2026-Q3");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Kỳ báo cáo phải có dạng YYYY-H1 (sơ kết 6 tháng) hoặc YYYY-Y (tổng kết năm), ví dụ 2026-H1.",
            (await bad.ReadJsonAsync()).GetProperty("detail").GetString());
        using var unknown = await fixture.Admin.PutJsonAsync("/api/reports/99999/2026-H1", new { values = new { } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Không tìm thấy đơn vị có mã 99999", (await unknown.ReadJsonAsync()).GetProperty("detail").GetString());
    }
}
