using System.Net;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Classification.IntegrationTests;

/// <summary>One commune at a time: a changed report, changed cut-offs, scope, refused scores.</summary>
[Collection(ClassificationCollection.Name)]
public sealed class EvaluationTests(ClassificationFixture fixture)
{
    static readonly Dictionary<string, decimal> Approved = new() { ["TC1"] = 8, ["TC2"] = 12, ["TC6"] = 15, ["TC7"] = 8 }; // 43

    static Dictionary<string, decimal> Report(decimal pctKdcSafe, decimal modelsEffective, decimal pctMediation) => new()
    {
        ["PCT_KDC_SAFE"] = pctKdcSafe, ["MODELS_EFFECTIVE"] = modelsEffective, ["PCT_MEDIATION_SUCCESS"] = pctMediation,
        ["KDC_TOTAL"] = 10, ["KDC_SAFE"] = 8,
    };

    async Task WaitForComputedAsync(string code, int year, string criterion, decimal expected) =>
        await ClassificationFixture.EventuallyAsync(async () =>
        {
            var sheet = await fixture.Admin.GetAsync($"/api/classifications/{code}/{year}").OkJsonAsync();
            var c = sheet.GetProperty("criteria").EnumerateArray().Single(x => x.GetProperty("code").GetString() == criterion);
            return c.Decimal("computedScore") == expected;
        }, $"{code} {criterion} = {expected}");

    [Fact]
    public async Task A_changed_annual_report_changes_the_computed_criteria_and_the_class_and_an_older_one_changes_nothing()
    {
        const string province = "11"; // Tỉnh Điện Biên
        const int year = 2031;
        var code = fixture.ChildrenOf(province).First().Code;
        var first = DateTimeOffset.UtcNow;
        await fixture.PublishReportAcceptedAsync(code, year, Report(85, 1, 90), first);
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(db => db.AnnualReports.AnyAsync(r => r.OrgUnitCode == code && r.Year == year)), "the report");

        using var pv01 = fixture.As("pv01-dienbien", AntqRoles.ProvinceOfficer, province);
        var scored = await pv01.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { approvedScores = Approved }).OkJsonAsync();
        Assert.Equal(88m, scored.GetProperty("approvedTotal").GetDecimal()); // 43 + 15 + 20 + 10
        Assert.Equal("Kha", scored.GetProperty("class").GetString());
        Assert.Equal("Khá", scored.GetProperty("className").GetString());

        // Returned, fixed and accepted again: no effective model any more, fewer safe residential areas.
        await fixture.PublishReportAcceptedAsync(code, year, Report(20, 0, 90), first.AddMinutes(5));
        await WaitForComputedAsync(code, year, "TC4", 5);
        var after = await fixture.Admin.GetAsync($"/api/classifications/{code}/{year}").OkJsonAsync();
        var criteria = after.GetProperty("criteria").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.Equal(0m, criteria["TC3"].GetProperty("computedScore").GetDecimal());
        Assert.Equal(58m, after.GetProperty("approvedTotal").GetDecimal()); // 43 + 0 + 5 + 10
        Assert.Equal("TrungBinh", after.GetProperty("class").GetString());
        Assert.Equal("báo cáo tổng kết năm", after.GetProperty("decidedBy").GetString());
        Assert.Equal("pv01-dienbien", after.GetProperty("approvedBy").GetString());

        var summary = await fixture.Admin.GetAsync($"/api/classifications/{province}/{year}/summary").OkJsonAsync();
        var counts = summary.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("class").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(0, counts["Kha"]);
        Assert.Equal(1, counts["TrungBinh"]);
        var published = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "ClassificationCountsChanged", province));
        Assert.Equal(1, published.MaxBy(p => p.GetProperty("sequence").GetInt64()).GetProperty("values").GetProperty("CLS_TRUNG_BINH").GetInt32());
        var classified = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "UnitClassified", code));
        Assert.Equal(["Kha", "TrungBinh"], classified.Select(c => c.GetProperty("class").GetString()));

        // A redelivered older acceptance arriving late does not undo the newer report.
        var handled = await fixture.InDbAsync(db => db.Set<Antq.Messaging.InboxMessage>().CountAsync(m => m.Consumer == "ReportAcceptedConsumer"));
        await fixture.PublishReportAcceptedAsync(code, year, Report(85, 1, 90), first.AddMinutes(1));
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(async db =>
            await db.Set<Antq.Messaging.InboxMessage>().CountAsync(m => m.Consumer == "ReportAcceptedConsumer") == handled + 1), "the older report handled");
        var still = await fixture.Admin.GetAsync($"/api/classifications/{code}/{year}").OkJsonAsync();
        Assert.Equal("TrungBinh", still.GetProperty("class").GetString());
        Assert.Equal(58m, still.GetProperty("approvedTotal").GetDecimal());
    }

    [Fact]
    public async Task A_changed_cutoff_for_next_year_or_a_new_version_of_this_year_leaves_this_years_results_alone()
    {
        const string province = "04"; // Tỉnh Cao Bằng
        var code = fixture.ChildrenOf(province).First().Code;
        using var pv01 = fixture.As("pv01-caobang", AntqRoles.ProvinceOfficer, province);
        foreach (var year in new[] { 2032, 2033 }) await fixture.PublishReportAcceptedAsync(code, year, Report(40, 1, 45), DateTimeOffset.UtcNow);
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(async db => await db.AnnualReports.CountAsync(r => r.OrgUnitCode == code) == 2), "two reports");

        // 43 + 15 + 10 + 5 = 73: Khá on the default cut-offs.
        var thisYear = await pv01.PutJsonAsync($"/api/classifications/{code}/2032/evaluation", new { approvedScores = Approved }).OkJsonAsync();
        Assert.Equal(73m, thisYear.GetProperty("approvedTotal").GetDecimal());
        Assert.Equal("Kha", thisYear.GetProperty("class").GetString());
        Assert.Equal(1, thisYear.GetProperty("sheet").GetProperty("version").GetInt32());

        var published = await fixture.Admin.PutJsonAsync("/api/classifications/score-sheets/2033/commune", Stricter()).OkJsonAsync();
        Assert.False(published.GetProperty("isDefault").GetBoolean());
        Assert.Equal(80m, published.GetProperty("cutoffs").GetProperty("kha").GetDecimal());
        // A second version of this year's own sheet does not move results already scored on the first.
        var republished = await fixture.Admin.PutJsonAsync("/api/classifications/score-sheets/2032/commune", Stricter()).OkJsonAsync();
        Assert.Equal(2, republished.GetProperty("version").GetInt32());

        var again = await fixture.Admin.GetAsync($"/api/classifications/{code}/2032").OkJsonAsync();
        Assert.Equal("Kha", again.GetProperty("class").GetString());
        Assert.Equal(70m, again.GetProperty("sheet").GetProperty("cutoffs").GetProperty("kha").GetDecimal());
        Assert.Equal(1, again.GetProperty("sheet").GetProperty("version").GetInt32());
        Assert.True(again.GetProperty("sheet").GetProperty("isDefault").GetBoolean());

        // The same scores next year, on next year's sheet: Trung bình.
        var nextYear = await pv01.PutJsonAsync($"/api/classifications/{code}/2033/evaluation", new { approvedScores = Approved }).OkJsonAsync();
        Assert.Equal(73m, nextYear.GetProperty("approvedTotal").GetDecimal());
        Assert.Equal("TrungBinh", nextYear.GetProperty("class").GetString());
        Assert.False(nextYear.GetProperty("sheet").GetProperty("isDefault").GetBoolean());
        Assert.Equal("Kha", (await fixture.Admin.GetAsync($"/api/classifications/{code}/2032").OkJsonAsync()).GetProperty("class").GetString());
    }

    /// <summary>The default commune sheet with stricter cut-offs (Xuất sắc ≥ 95, Khá ≥ 80, Trung bình ≥ 60).</summary>
    static object Stricter() => new
    {
        criteria = new object[]
        {
            new { code = "TC1", name = "Ban hành kế hoạch, chỉ đạo, hướng dẫn triển khai phong trào", max = 10 },
            new { code = "TC2", name = "Tuyên truyền, phát động phong trào", max = 15 },
            new { code = "TC3", name = "Mô hình tự quản hoạt động hiệu quả", max = 15, rule = new { indicator = "MODELS_EFFECTIVE", method = "threshold", comparator = ">=", value = 1 } },
            new { code = "TC4", name = "Tỷ lệ khu dân cư an toàn", max = 20, rule = new { indicator = "PCT_KDC_SAFE", method = "proportional", comparator = ">=", value = 80 } },
            new { code = "TC5", name = "Hòa giải thành", max = 10, rule = new { indicator = "PCT_MEDIATION_SUCCESS", method = "proportional", comparator = ">=", value = 90 } },
            new { code = "TC6", name = "Phòng ngừa, đấu tranh tội phạm", max = 20 },
            new { code = "TC7", name = "Xây dựng lực lượng nòng cốt", max = 10 },
        },
        cutoffs = new { xuatSac = 95, kha = 80, trungBinh = 60 },
        note = "Quản trị viên đã xác nhận",
    };

    [Fact]
    public async Task A_commune_officer_cannot_approve_its_own_score_and_only_the_province_above_can()
    {
        const string province = "14"; // Tỉnh Sơn La
        const int year = 2031;
        var code = fixture.ChildrenOf(province).First().Code;
        using var commune = fixture.As($"cax-{code}", AntqRoles.CommuneOfficer, code);

        var own = await commune.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { approvedScores = Approved }).ProblemAsync(403);
        Assert.Contains("không được tự duyệt điểm", own.GetProperty("detail").GetString());
        await commune.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { disqualifiers = new Dictionary<string, bool> { ["DK1"] = false } }).ProblemAsync(403);
        var recognise = await commune.PostJsonAsync($"/api/classifications/{code}/{year}/safe/recognition", new { criteria = new Dictionary<string, bool> { ["AT2"] = true, ["AT3"] = true } }).ProblemAsync(403);
        Assert.Contains("không được tự công nhận", recognise.GetProperty("detail").GetString());

        using var otherProvince = fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, "12");
        await otherProvince.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { approvedScores = Approved }).ProblemAsync(403);
        await otherProvince.GetAsync($"/api/classifications/{code}/{year}").ProblemAsync(403);
        using var neighbour = fixture.As("cax-neighbour", AntqRoles.CommuneOfficer, fixture.ChildrenOf(province).Skip(1).First().Code);
        await neighbour.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { selfScores = Approved }).ProblemAsync(403);

        using var pv01 = fixture.As("pv01-sonla", AntqRoles.ProvinceOfficer, province);
        var bySelf = await pv01.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { selfScores = Approved }).ProblemAsync(403);
        Assert.Contains("điểm tự chấm", bySelf.GetProperty("detail").GetString());
        Assert.False(await fixture.InDbAsync(db => db.Evaluations.AnyAsync(e => e.OrgUnitCode == code)));

        await commune.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { selfScores = Approved }).OkJsonAsync();
        var approved = await pv01.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { approvedScores = Approved }).OkJsonAsync();
        Assert.Equal("pv01-sonla", approved.GetProperty("approvedBy").GetString());
        var read = await commune.GetAsync($"/api/classifications/{code}/{year}").OkJsonAsync();
        Assert.Equal(43m, read.GetProperty("selfTotal").GetDecimal() - 0);
    }

    [Fact]
    public async Task Scores_outside_zero_to_the_maximum_are_refused_per_criterion_in_Vietnamese_and_nothing_is_stored()
    {
        const string province = "20"; // Tỉnh Lạng Sơn
        const int year = 2031;
        var code = fixture.ChildrenOf(province).First().Code;
        using var pv01 = fixture.As("pv01-langson", AntqRoles.ProvinceOfficer, province);

        var problem = await pv01.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new
        {
            approvedScores = new Dictionary<string, decimal> { ["TC1"] = 11, ["TC2"] = -0.5m, ["TC6"] = 20, ["TC4"] = 5 },
        }).ProblemAsync(400);
        var errors = problem.Errors();
        Assert.Equal(["TC1", "TC2", "TC4"], errors.Keys.Order());
        Assert.Equal("Điểm của cấp trên của tiêu chí TC1 \"Ban hành kế hoạch, chỉ đạo, hướng dẫn triển khai phong trào toàn dân bảo vệ an ninh Tổ quốc\" phải từ 0 đến 10 điểm (đã nhập 11).", errors["TC1"].Single());
        Assert.Contains("phải từ 0 đến 15 điểm (đã nhập -0,5)", errors["TC2"].Single());
        Assert.Contains("được tính tự động từ báo cáo tổng kết năm", errors["TC4"].Single());
        Assert.Equal("Yêu cầu không hợp lệ", problem.GetProperty("title").GetString());

        Assert.False(await fixture.InDbAsync(db => db.Evaluations.AnyAsync(e => e.OrgUnitCode == code)));
        var sheet = await pv01.GetAsync($"/api/classifications/{code}/{year}").OkJsonAsync();
        Assert.False(sheet.GetProperty("stored").GetBoolean());
        Assert.All(sheet.GetProperty("criteria").EnumerateArray(), c => Assert.Equal(System.Text.Json.JsonValueKind.Null, c.GetProperty("approved").ValueKind));
    }

    [Fact]
    public async Task The_default_sheets_are_labelled_as_defaults_and_a_sheet_that_does_not_add_up_to_100_is_refused()
    {
        using var commune = fixture.As("cax", AntqRoles.CommuneOfficer, "00004");
        foreach (var kind in new[] { "commune", "agency-enterprise-school" })
        {
            var sheet = await commune.GetAsync($"/api/classifications/score-sheets/2040/{kind}").OkJsonAsync();
            Assert.True(sheet.GetProperty("isDefault").GetBoolean());
            Assert.Equal("Mặc định của hệ thống, cần quản trị viên xác nhận; không phải quy định pháp luật", sheet.GetProperty("note").GetString());
            Assert.Equal(100m, sheet.GetProperty("criteria").EnumerateArray().Sum(c => c.GetProperty("max").GetDecimal()));
            Assert.Equal("trước ngày 30/11/2040", sheet.GetProperty("reviewDeadline").GetString());
            var cutoffs = sheet.GetProperty("cutoffs");
            Assert.Equal((90m, 70m, 50m), (cutoffs.GetProperty("xuatSac").GetDecimal(), cutoffs.GetProperty("kha").GetDecimal(), cutoffs.GetProperty("trungBinh").GetDecimal()));
        }

        await commune.GetAsync("/api/classifications/score-sheets/2040/residential-area").ProblemAsync(404);
        var safe = await commune.GetAsync("/api/classifications/safe-standards/2040/residential-area").OkJsonAsync();
        Assert.True(safe.GetProperty("isDefault").GetBoolean());
        Assert.Contains(safe.GetProperty("criteria").EnumerateArray(), c => c.GetProperty("name").GetString()!.StartsWith("100% hộ gia đình", StringComparison.Ordinal));

        await commune.PutJsonAsync("/api/classifications/score-sheets/2040/commune", Stricter()).ProblemAsync(403);
        var bad = await fixture.Admin.PutJsonAsync("/api/classifications/score-sheets/2040/commune", new
        {
            criteria = new object[] { new { code = "A", name = "Tiêu chí A", max = 60 }, new { code = "B", name = "Tiêu chí B", max = 35 } },
            cutoffs = new { xuatSac = 90, kha = 70, trungBinh = 50 },
        }).ProblemAsync(400);
        Assert.Equal("Tổng điểm tối đa của các tiêu chí phải bằng 100 (hiện là 95).", bad.Errors()["criteria"].Single());
        var still = await commune.GetAsync("/api/classifications/score-sheets/2040/commune").OkJsonAsync();
        Assert.True(still.GetProperty("isDefault").GetBoolean());
        Assert.False(await fixture.InDbAsync(db => db.ScoreSheets.AnyAsync(s => s.Year == 2040)));
    }

    [Fact]
    public async Task Safe_registration_after_the_first_quarter_is_refused_and_recognition_needs_every_criterion()
    {
        const string province = "22"; // Tỉnh Quảng Ninh
        var communes = fixture.ChildrenOf(province).Select(c => c.Code).ToList();
        var code = communes[0];
        using var commune = fixture.As($"cax-{code}", AntqRoles.CommuneOfficer, code);

        var late = await commune.PostJsonAsync($"/api/classifications/{code}/2026/safe/registration").ProblemAsync(409);
        Assert.Equal("Đã hết hạn đăng ký xây dựng đạt tiêu chuẩn \"An toàn về an ninh, trật tự\" năm 2026: hạn đăng ký là hết ngày 31/03/2026 (quý I). Đơn vị không đăng ký được cho năm này.",
            late.GetProperty("detail").GetString());
        Assert.False(await fixture.InDbAsync(db => db.SafeResults.AnyAsync(r => r.OrgUnitCode == code && r.Year == 2026)));

        using var pv01 = fixture.As("pv01-quangninh", AntqRoles.ProvinceOfficer, province);
        var notRegistered = await pv01.PostJsonAsync($"/api/classifications/{communes[1]}/2031/safe/recognition", new { criteria = new Dictionary<string, bool> { ["AT2"] = true, ["AT3"] = true } }).ProblemAsync(409);
        Assert.Contains("chưa đăng ký", notRegistered.GetProperty("detail").GetString());

        using (var response = await commune.PostJsonAsync($"/api/classifications/{code}/2031/safe/registration"))
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var registered = await commune.GetAsync($"/api/classifications/{code}/2031/safe").OkJsonAsync();
        Assert.Equal("Đã đăng ký, chưa xét công nhận", registered.GetProperty("status").GetString());
        Assert.Equal("hết ngày 31/03/2031", registered.GetProperty("registrationDeadline").GetString());
        Assert.True(registered.GetProperty("standardIsDefault").GetBoolean());

        var missing = await pv01.PostJsonAsync($"/api/classifications/{code}/2031/safe/recognition", new { criteria = new Dictionary<string, bool> { ["AT2"] = true } }).ProblemAsync(400);
        Assert.Equal(["AT3"], missing.Errors().Keys);
        var noReport = await pv01.PostJsonAsync($"/api/classifications/{code}/2031/safe/recognition", new { criteria = new Dictionary<string, bool> { ["AT2"] = true, ["AT3"] = true } }).ProblemAsync(409);
        Assert.Contains("MODELS_EFFECTIVE", noReport.GetProperty("detail").GetString());

        await fixture.PublishReportAcceptedAsync(code, 2031, Report(90, 2, 90), DateTimeOffset.UtcNow);
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(db => db.AnnualReports.AnyAsync(r => r.OrgUnitCode == code)), "the report");
        var refused = await pv01.PostJsonAsync($"/api/classifications/{code}/2031/safe/recognition", new { criteria = new Dictionary<string, bool> { ["AT2"] = false, ["AT3"] = true } }).OkJsonAsync();
        Assert.False(refused.GetProperty("recognised").GetBoolean());
        Assert.Equal("Không đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"", refused.GetProperty("status").GetString());
        Assert.Contains("AT2", refused.GetProperty("unmet").EnumerateArray().Single().GetString());
        var recognised = await pv01.PostJsonAsync($"/api/classifications/{code}/2031/safe/recognition", new { criteria = new Dictionary<string, bool> { ["AT2"] = true, ["AT3"] = true } }).OkJsonAsync();
        Assert.True(recognised.GetProperty("recognised").GetBoolean());
        Assert.Equal("pv01-quangninh", recognised.GetProperty("decidedBy").GetString());

        var events = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "UnitRecognised", code));
        Assert.Equal([false, true], events.Select(e => e.GetProperty("recognised").GetBoolean()));
        var summary = await pv01.GetAsync($"/api/classifications/{province}/2031/summary").OkJsonAsync();
        Assert.Equal(1, summary.GetProperty("safe").GetProperty("recognised").GetInt32());
        Assert.Equal(0, summary.GetProperty("safe").GetProperty("notRecognised").GetInt32());
    }
}
