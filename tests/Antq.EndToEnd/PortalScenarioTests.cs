using System.Net.Http.Json;
using System.Text.Json;
using Antq.Testing;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<Platform>, ICollectionFixture<Browser>
{
    public const string Name = "platform";
}

/// <summary>The portal as its users see it, in a real headless Chromium, against the whole platform.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PortalScenarioTests(Platform platform, Browser browser)
{
    const string Password = "Mat-khau-E2E-2026";
    static readonly Regex Submitted = new("Đã nộp");

    async Task<IPage> SignInAsync(string username, int width = 1280, int height = 900, string password = Password)
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = platform.Address,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await PortalSignIn.SignInAsync(page, platform.Address, username, password);
        await InteractiveAsync(page);
        return page;
    }

    static Task InteractiveAsync(IPage page) => PortalSignIn.InteractiveAsync(page);

    static ILocator Field(IPage page, string code) => page.Locator($"#v-{code}");

    [Fact]
    public async Task Commune_submits_after_fixing_an_error_province_sees_it_live_returns_it_commune_resubmits_province_exports()
    {
        var (communeCode, communeName) = platform.Communes[0];
        await platform.CreateUserAsync("pv01.laichau", Password, "Trần Thị Bình", "ProvinceOfficer", Platform.ProvinceCode);
        await platform.CreateUserAsync("ca.xa1", Password, "Nguyễn Văn An", "CommuneOfficer", communeCode);

        // The province officer opens the live board first and keeps it open.
        var province = await SignInAsync("pv01.laichau");
        await Assertions.Expect(province.Locator("[data-test=user-role]")).ToHaveTextAsync("Cán bộ tỉnh");
        var row = province.Locator($"tr[data-unit='{communeCode}']");
        await Assertions.Expect(row.Locator("[data-test=status]")).ToHaveTextAsync("Chưa nộp");
        await Assertions.Expect(province.Locator("[data-test=count-all] .count-number")).ToHaveTextAsync(platform.Communes.Count.ToString());
        await Assertions.Expect(province.Locator("[data-test=updated-at]")).ToContainTextAsync("tự động cập nhật");
        var loadedAt = await province.Locator("[data-test=updated-at]").TextContentAsync();
        await Browser.ShotAsync(province, "01-province-board-before");

        // The commune officer: name, role and unit, the deadline.
        var commune = await SignInAsync("ca.xa1");
        await Assertions.Expect(commune.Locator("[data-test=user-name]")).ToHaveTextAsync("Nguyễn Văn An");
        await Assertions.Expect(commune.Locator("[data-test=user-role]")).ToHaveTextAsync("Công an xã");
        await Assertions.Expect(commune.Locator("[data-test=user-unit]")).ToContainTextAsync(communeName);
        await Assertions.Expect(commune.Locator($"[data-test=due-{Platform.Period}] [data-test=deadline]")).ToHaveTextAsync("Hạn nộp: trước ngày 15/12/2026");
        await Assertions.Expect(commune.Locator($"[data-test=due-{Platform.Period}] [data-test=days-left]")).ToContainTextAsync("ngày");
        await Assertions.Expect(commune.Locator("[data-test=unread-count]")).ToBeVisibleAsync();
        await Browser.ShotAsync(commune, "02-commune-home");

        // The report form: one value breaks a catalogue rule, shown before anything is sent, then fixed.
        await commune.GotoAsync($"/bao-cao/{Platform.Period}");
        await InteractiveAsync(commune);
        await Field(commune, "TIPS_TOTAL").FillAsync("5");
        await Field(commune, "TIPS_VALUABLE").FillAsync("9");
        await Field(commune, "KDC_TOTAL").FillAsync("1.234");
        await Assertions.Expect(commune.Locator("[data-test=error-TIPS_VALUABLE]")).ToHaveTextAsync("Số tin có giá trị không được lớn hơn tổng số nguồn tin");
        await Assertions.Expect(commune.Locator("[data-test=submit]")).ToBeDisabledAsync();
        await Field(commune, "MODELS_ACTIVE").FillAsync("-2");
        await Assertions.Expect(commune.Locator("[data-test=error-MODELS_ACTIVE]")).ToContainTextAsync("không được là số âm");
        await Browser.ShotAsync(commune, "03-report-form-with-errors");
        await Field(commune, "MODELS_ACTIVE").FillAsync("2");
        await Field(commune, "TIPS_VALUABLE").FillAsync("3");
        await Assertions.Expect(commune.Locator("[data-test=error-TIPS_VALUABLE]")).ToHaveCountAsync(0);
        await Assertions.Expect(commune.Locator("[data-test=computed-PCT_TIPS_VALUABLE]")).ToHaveTextAsync("60");
        await commune.FillAsync("#n-KET_QUA", "Tổ chức 3 buổi tuyên truyền tại các thôn, bản.");
        // Autosave: the draft reaches the service without pressing anything.
        await Assertions.Expect(commune.Locator("[data-test=save-state]")).ToContainTextAsync("Đã lưu lúc");
        var draft = await platform.Admin.GetStringAsync($"api/reports/{communeCode}/{Platform.Period}");
        Assert.Contains("\"TIPS_VALUABLE\":3", draft);
        Assert.Contains("\"KDC_TOTAL\":1234", draft);
        Assert.Contains("Tổ chức 3 buổi tuyên truyền", draft);
        // Nothing polled the board while the commune worked (drafts change no roll-up): it was read once, when opened.
        Assert.Equal(loadedAt, await province.Locator("[data-test=updated-at]").TextContentAsync());
        await commune.ClickAsync("[data-test=submit]");
        await Assertions.Expect(commune.Locator("[data-test=submitted-banner]")).ToBeVisibleAsync();
        await Assertions.Expect(commune.Locator("[data-test=report-status]")).ToHaveTextAsync("Đã nộp");
        await Browser.ShotAsync(commune, "04-report-submitted");

        // The province's board changes by itself, pushed from the broker: no reload, no polling.
        await Assertions.Expect(row.Locator("[data-test=status]")).ToHaveTextAsync(Submitted, new() { Timeout = 15_000 });
        await Assertions.Expect(row).ToContainTextAsync("Đúng hạn");
        await Assertions.Expect(province.Locator("[data-test=submission-chart] polyline.series")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(province.Locator("[data-test=count-submitted] .count-number")).ToHaveTextAsync("1");
        await Browser.ShotAsync(province, "05-province-board-live");

        // The province returns it with a reason.
        const string reason = "Số tin có giá trị chưa khớp với sổ theo dõi; đề nghị kiểm tra lại.";
        await row.Locator("[data-test=open]").ClickAsync();
        await province.WaitForURLAsync(new Regex($"/xem-bao-cao/{communeCode}/{Platform.Period}"));
        await InteractiveAsync(province);
        await Assertions.Expect(province.Locator("tr[data-code=TIPS_TOTAL] td.num")).ToHaveTextAsync("5");
        await Assertions.Expect(province.Locator("tr[data-code=KDC_TOTAL] td.num")).ToHaveTextAsync("1.234");
        await province.FillAsync("[data-test=reason]", reason);
        await Browser.ShotAsync(province, "06-province-review");
        await province.ClickAsync("[data-test=return]");
        await Assertions.Expect(province.Locator("[data-test=review-message]")).ToHaveTextAsync("Đã trả lại báo cáo cho đơn vị.");
        await Assertions.Expect(province.Locator("[data-test=report-status]")).ToHaveTextAsync("Bị trả lại");

        // The commune sees the reason at the top of its form, fixes and resubmits.
        await commune.GotoAsync($"/bao-cao/{Platform.Period}");
        await InteractiveAsync(commune);
        await Assertions.Expect(commune.Locator("[data-test=return-reason]")).ToContainTextAsync(reason);
        await Browser.ShotAsync(commune, "07-commune-returned");
        await Field(commune, "TIPS_TOTAL").FillAsync("6");
        await commune.ClickAsync("[data-test=submit]");
        await Assertions.Expect(commune.Locator("[data-test=report-status]")).ToHaveTextAsync("Đã nộp");
        await Assertions.Expect(commune.Locator("[data-test=return-reason]")).ToHaveCountAsync(0);

        // The province's board and roll-up, and the Excel export.
        await province.GotoAsync($"/theo-doi?ky={Platform.Period}");
        await InteractiveAsync(province);
        await Assertions.Expect(province.Locator($"tr[data-unit='{communeCode}'] [data-test=status]")).ToHaveTextAsync(Submitted);
        await province.GotoAsync("/tong-hop");
        await InteractiveAsync(province);
        await Assertions.Expect(province.Locator("[data-test=value-TIPS_TOTAL]")).ToHaveTextAsync("6");
        await Assertions.Expect(province.Locator("tr[data-code=TIPS_TOTAL]")).ToContainTextAsync("≥ 100");
        var export = province.Locator("[data-test=export-xlsx]");
        await Assertions.Expect(export).ToBeVisibleAsync();
        // The button turns into a link once the service answers that the export exists.
        await province.WaitForFunctionAsync("() => { const e = document.querySelector('[data-test=export-xlsx]'); return e && (e.tagName === 'A' || e.title === 'Chức năng xuất tệp chưa sẵn sàng'); }");
        await Browser.ShotAsync(province, "08-province-rollup");
        if (await export.EvaluateAsync<string>("e => e.tagName") == "A")
        {
            var download = await province.RunAndWaitForDownloadAsync(() => export.ClickAsync());
            var path = Path.Combine(Browser.ScreenshotDir, "tong-hop-" + Platform.ProvinceCode + ".xlsx");
            await download.SaveAsAsync(path);
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.True(bytes.Length > 100 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "the export is not an xlsx (zip) file");
        }
        else
        {
            // The Reporting service has no export yet (404): the button is there, disabled, and says why.
            await Assertions.Expect(export).ToBeDisabledAsync();
            await Assertions.Expect(province.Locator("[data-test=exports-unavailable]")).ToBeVisibleAsync();
        }

        await province.Context.CloseAsync();
        await commune.Context.CloseAsync();
    }

    const string DraftKeys = "() => Object.keys(localStorage).filter(k => k.startsWith('antq-report-draft:'))";

    [Fact]
    public async Task Unsaved_input_comes_back_from_the_browsers_storage_after_a_reload_and_never_silently_over_a_newer_version()
    {
        var (communeCode, _) = platform.Communes[7];
        await platform.CreateUserAsync("ca.xa8", Password, "Vàng A Dơ", "CommuneOfficer", communeCode);
        var page = await SignInAsync("ca.xa8");
        await page.GotoAsync($"/bao-cao/{Platform.Period}");
        await PortalSignIn.DraftTrackedAsync(page);

        // A value that is not a number stops the autosave: nothing of this reaches the service.
        await Field(page, "TIPS_TOTAL").FillAsync("7");
        await Field(page, "KDC_TOTAL").FillAsync("abc");
        await page.FillAsync("#n-KET_QUA", "Ghi chép chưa lưu của xã.");
        await Assertions.Expect(page.Locator("[data-test=save-state]")).ToHaveTextAsync("Chưa lưu: còn số liệu không hợp lệ");
        Assert.Single(await page.EvaluateAsync<string[]>(DraftKeys));

        // The circuit is gone with the page (as when the portal replica holding it is lost): a new one restores the input.
        await page.ReloadAsync();
        await InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-test=draft-notice]")).ToContainTextAsync("Đã khôi phục 3 mục bạn nhập chưa lưu");
        await Assertions.Expect(Field(page, "TIPS_TOTAL")).ToHaveValueAsync("7");
        await Assertions.Expect(Field(page, "KDC_TOTAL")).ToHaveValueAsync("abc");
        await Assertions.Expect(page.Locator("#n-KET_QUA")).ToHaveValueAsync("Ghi chép chưa lưu của xã.");
        await Assertions.Expect(page.Locator("[data-test=error-KDC_TOTAL]")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "11-report-form-restored");

        // Corrected and saved: the service has it, and the browser keeps nothing more.
        await Field(page, "KDC_TOTAL").FillAsync("12");
        await page.ClickAsync("button:has-text('Lưu nháp')");
        await Assertions.Expect(page.Locator("[data-test=save-state]")).ToContainTextAsync("Đã lưu lúc");
        await page.WaitForFunctionAsync($"() => ({DraftKeys})().length === 0");
        await Assertions.Expect(page.Locator("[data-test=draft-notice]")).ToHaveCountAsync(0);
        var saved = await platform.Admin.GetStringAsync($"api/reports/{communeCode}/{Platform.Period}");
        Assert.Contains("\"TIPS_TOTAL\":7", saved);
        Assert.Contains("\"KDC_TOTAL\":12", saved);
        Assert.Contains("Ghi chép chưa lưu của xã.", saved);

        // Input typed on version N while someone else saves N+1: after the reload it is offered, not applied.
        await Field(page, "TIPS_TOTAL").FillAsync("8");
        await Field(page, "KDC_TOTAL").FillAsync("x");
        await Assertions.Expect(page.Locator("[data-test=save-state]")).ToHaveTextAsync("Chưa lưu: còn số liệu không hợp lệ");
        using (var current = await platform.Admin.GetAsync($"api/reports/{communeCode}/{Platform.Period}"))
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, $"api/reports/{communeCode}/{Platform.Period}")
            {
                Content = JsonContent.Create(new { values = new Dictionary<string, object> { ["TIPS_VALUABLE"] = 2 }, narrative = new Dictionary<string, string>() }),
            };
            put.Headers.IfMatch.Add(current.Headers.ETag!);
            using var answer = await platform.Admin.SendAsync(put);
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        }

        await page.ReloadAsync();
        await InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-test=draft-notice]")).ToContainTextAsync("Báo cáo trên hệ thống đã thay đổi");
        await Assertions.Expect(Field(page, "TIPS_TOTAL")).ToHaveValueAsync("7");
        await Assertions.Expect(Field(page, "TIPS_VALUABLE")).ToHaveValueAsync("2");
        await page.ClickAsync("[data-test=draft-restore]");
        await Assertions.Expect(Field(page, "TIPS_TOTAL")).ToHaveValueAsync("8");
        await Assertions.Expect(page.Locator("[data-test=draft-notice]")).ToContainTextAsync("Đã khôi phục 2 mục");
        // Discarded: the service's values again, and nothing kept in the browser.
        await page.ClickAsync("[data-test=draft-discard]");
        await Assertions.Expect(Field(page, "TIPS_TOTAL")).ToHaveValueAsync("7");
        await Assertions.Expect(Field(page, "KDC_TOTAL")).ToHaveValueAsync("12");
        await Assertions.Expect(page.Locator("[data-test=draft-notice]")).ToHaveCountAsync(0);
        Assert.Empty(await page.EvaluateAsync<string[]>(DraftKeys));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_report_form_fits_the_screen_and_logout_ends_the_session()
    {
        var (communeCode, _) = platform.Communes[1];
        await platform.CreateUserAsync("ca.xa2", Password, "Lò Văn Châu", "CommuneOfficer", communeCode);
        var page = await SignInAsync("ca.xa2", width: 375, height: 812);
        await page.GotoAsync($"/bao-cao/{Platform.Period}");
        await InteractiveAsync(page);
        await Field(page, "TIPS_TOTAL").FillAsync("abc");
        await Assertions.Expect(page.Locator("[data-test=error-TIPS_TOTAL]")).ToHaveTextAsync("\"Số nguồn tin do quần chúng cung cấp\" phải là số nguyên (tin).");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 376, $"the form is {width}px wide on a 375px screen");
        await Assertions.Expect(page.Locator("[data-test=user-role]")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "09-phone-report-form");

        await page.ClickAsync("form.logout button");
        // The Identity service ends its session and sends the browser back to the portal's root.
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(platform.Address) + @"(\?.*)?$"));
        await Assertions.Expect(page.Locator("[data-test=login]")).ToBeVisibleAsync();
        await Browser.ShotAsync(page, "10-phone-signed-out");
        // Signed out at the Identity service too: the form asks for a login again.
        await page.GotoAsync($"/bao-cao/{Platform.Period}");
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Province_reads_a_plan_from_its_text_corrects_the_draft_and_issues_it()
    {
        await platform.CreateUserAsync("pv01.kehoach", Password, "Lê Văn Cường", "ProvinceOfficer", Platform.ProvinceCode);
        var page = await SignInAsync("pv01.kehoach");
        await page.GotoAsync("/ke-hoach");
        await InteractiveAsync(page);

        // A real province plan, pasted whole: the reader proposes its deadlines and targets.
        var text = await File.ReadAllTextAsync(TestEnvironment.SharedFile("data", "plans", "2024-binh-thuan-province.txt"));
        await page.FillAsync("[data-test=plan-text]", text);
        await page.ClickAsync("[data-test=read-plan]");
        await Assertions.Expect(page.Locator("[data-test=p-h1]")).ToHaveValueAsync("15/06/2024");
        await Assertions.Expect(page.Locator("[data-test=p-y]")).ToHaveValueAsync("01/12/2024");
        await Assertions.Expect(page.Locator("[data-test=targets] tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-test=targets]")).ToContainTextAsync("An toàn về an ninh, trật tự");
        await Browser.ShotAsync(page, "11-plan-read-from-text");

        // The officer turns it into next year's plan of the province, saves the draft and issues it.
        await page.FillAsync("[data-test=p-year]", "2027");
        await page.FillAsync("[data-test=p-number]", "03/KH-CAT-PV01");
        await page.FillAsync("[data-test=p-issued]", "05/01/2027");
        await page.FillAsync("[data-test=p-h1]", "15/06/2027");
        await page.FillAsync("[data-test=p-y]", "01/12/2027");
        await page.ClickAsync("[data-test=save-plan]");
        await Assertions.Expect(page.Locator("[data-test=save-message]")).ToContainTextAsync("Đã lưu bản dự thảo 03/KH-CAT-PV01");
        await page.FillAsync("[data-test=plan-year]", "2027");
        await page.Locator("[data-test=plan-year]").BlurAsync();
        await page.ClickAsync("[data-test=issue]");
        await Assertions.Expect(page.Locator("[data-test=plan-message]")).ToContainTextAsync("Đã ban hành");
        await Browser.ShotAsync(page, "12-plan-issued");

        // The deadline chain now binds the province's communes.
        using var officer = new HttpClient { BaseAddress = new Uri(platform.Address) };
        officer.DefaultRequestHeaders.Authorization = new("Bearer", await platform.TokenAsync("pv01.kehoach", Password));
        var deadline = await officer.GetFromJsonAsync<JsonElement>($"api/deadlines/{platform.Communes[0].Code}/2027-H1");
        Assert.Equal("Hạn nộp: trước ngày 15/06/2027", deadline.GetProperty("display").GetString());
    }

    [Fact]
    public async Task A_commune_downloads_its_excel_form_and_uploads_it_back_on_the_report_page()
    {
        var (communeCode, _) = platform.Communes[2];
        await platform.CreateUserAsync("ca.xa3", Password, "Vàng A Dế", "CommuneOfficer", communeCode);
        var page = await SignInAsync("ca.xa3");
        await page.GotoAsync($"/bao-cao/{Platform.Period}");
        await InteractiveAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-test=template-download]"));
        Assert.Equal($"mau-bao-cao-{communeCode}-{Platform.Period}.xlsx", download.SuggestedFilename);
        var file = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(file);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(file))[..2]));

        await page.SetInputFilesAsync("[data-test=template-upload]", file);
        await Assertions.Expect(page.Locator("[data-test=upload-message]")).ToContainTextAsync("Đã nhập số liệu");
        await Assertions.Expect(page.Locator("[data-test=report-status]")).ToHaveTextAsync("Đang soạn");
        await Browser.ShotAsync(page, "13-form-uploaded");
    }

    [Fact]
    public async Task The_province_approves_a_communes_scores_on_the_default_sheet_with_its_limits_checked()
    {
        await platform.CreateUserAsync("pv01.phanloai", Password, "Hà Thị Dung", "ProvinceOfficer", Platform.ProvinceCode);
        var page = await SignInAsync("pv01.phanloai");
        await page.GotoAsync("/phan-loai");
        await InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-test=cls-default]")).ToContainTextAsync("không phải quy định pháp luật");
        await Assertions.Expect(page.Locator("[data-test=cls-summary]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=class-svg] g.class-row")).ToHaveCountAsync(6);

        // A score above the criterion's maximum is refused with the criterion's own message and nothing is kept.
        await page.FillAsync("[data-test=approved-TC1]", "99");
        await page.Locator("[data-test=approved-TC1]").BlurAsync();
        await page.ClickAsync("[data-test=cls-save]");
        await Assertions.Expect(page.Locator("[data-test=cls-sheet] .field-error")).ToContainTextAsync("10");
        await Browser.ShotAsync(page, "14-classification-refused");

        foreach (var (code, score) in new[] { ("TC1", "9"), ("TC2", "14"), ("TC6", "18"), ("TC7", "8") })
        {
            await page.FillAsync($"[data-test=approved-{code}]", score);
            await page.Locator($"[data-test=approved-{code}]").BlurAsync();
        }

        await page.ClickAsync("[data-test=cls-save]");
        await Assertions.Expect(page.Locator("[data-test=cls-message]")).ToHaveTextAsync("Đã lưu.");
        await page.ReloadAsync();
        await InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-test=approved-TC2]")).ToHaveValueAsync("14");
        // Without the accepted annual report the computed criteria are missing, so no class is decided yet.
        await Assertions.Expect(page.Locator("[data-test=cls-class]")).ToHaveTextAsync("chưa xếp loại");
        await Browser.ShotAsync(page, "15-classification-approved");
    }

    [Fact]
    public async Task The_admin_sees_the_catalogue_in_force_and_a_broken_catalogue_is_refused_with_its_problems()
    {
        var page = await SignInAsync("admin", password: Platform.AdminPassword);
        await page.GotoAsync("/quan-tri");
        await InteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-test=catalogue-version]")).Not.ToHaveTextAsync("–");

        var broken = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(broken, """
            {"version":"2027.1","indicators":[{"code":"A","name":"A","unit":"u","valueType":"integer","aggregation":"sum","periods":["Y"]}],
             "rules":[{"code":"R1","expression":"A <= B","message":"m"}],"narrativeSections":[]}
            """);
        await page.SetInputFilesAsync("[data-test=catalogue-file]", broken);
        await Assertions.Expect(page.Locator("[data-test=catalogue-message]")).ToContainTextAsync("R1");
        await Assertions.Expect(page.Locator("[data-test=catalogue-version]")).Not.ToHaveTextAsync("2027.1");
        await Browser.ShotAsync(page, "16-admin-catalogue-refused");
    }

    [Fact]
    public async Task The_admin_disables_an_account_sets_a_new_password_and_enables_it_again_from_the_users_list()
    {
        const string user = "nghi.phep.e2e";
        await platform.CreateUserAsync(user, Password, "Hà Thị Thu", "CommuneOfficer", platform.Communes[3].Code);
        var page = await SignInAsync("admin", password: Platform.AdminPassword);
        await page.GotoAsync("/quan-tri");
        await InteractiveAsync(page);
        await page.FillAsync("[data-test=user-search]", "nghi.phep");
        await page.ClickAsync("[data-test=user-search-go]");
        var row = page.Locator($"[data-test='user-{user}']");
        await Assertions.Expect(row.Locator("[data-test=user-state]")).ToHaveTextAsync("Đang hoạt động");

        await row.Locator("[data-test=toggle-active]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=users-message]")).ToContainTextAsync($"Đã vô hiệu hoá tài khoản {user}");
        await Assertions.Expect(row.Locator("[data-test=user-state]")).ToHaveTextAsync("Đã vô hiệu hoá");
        Assert.Equal("Tài khoản đã bị vô hiệu hoá; vui lòng liên hệ quản trị viên.", await RefusalAsync(user, Password));

        await row.Locator("[data-test=reset-password]").ClickAsync();
        await row.Locator("[data-test=new-password]").FillAsync("ngan");
        await row.Locator("[data-test=save-password]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=users-message]")).ToContainTextAsync("Mật khẩu phải có ít nhất 10 ký tự");
        await row.Locator("[data-test=new-password]").FillAsync("Mat-khau-Moi-E2E-2027");
        await row.Locator("[data-test=save-password]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=users-message]")).ToContainTextAsync($"Đã đặt mật khẩu mới cho {user}");

        await row.Locator("[data-test=toggle-active]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-test=user-state]")).ToHaveTextAsync("Đang hoạt động");
        await Browser.ShotAsync(page, "17-admin-users");
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", await RefusalAsync(user, Password));
        Assert.False(string.IsNullOrEmpty(await platform.TokenAsync(user, "Mat-khau-Moi-E2E-2027")));
    }

    [Fact]
    public async Task The_admin_reads_each_error_beside_its_field_and_an_import_says_how_many_rows_it_processed()
    {
        var page = await SignInAsync("admin", password: Platform.AdminPassword);
        await page.GotoAsync("/quan-tri");
        await InteractiveAsync(page);

        // An account with a weak password and a full name left out: each message under its own field, the field marked.
        await page.FillAsync("#u-name", "loi.canh.truong");
        await page.FillAsync("#u-pass", "ngan");
        await page.FillAsync("#u-unit", Platform.ProvinceCode);
        await page.ClickAsync("[data-test=create-user]");
        await Assertions.Expect(page.Locator("[data-test=error-password]")).ToContainTextAsync("Mật khẩu phải có ít nhất");
        await Assertions.Expect(page.Locator("[data-test=error-fullName]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#u-pass")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#u-pass")).ToHaveAttributeAsync("aria-describedby", "err-password");
        await Assertions.Expect(page.Locator("[data-test=error-username]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=user-message]")).ToHaveTextAsync("Chưa tạo tài khoản: sửa các trường có lỗi ghi ngay dưới trường.");
        await Browser.ShotAsync(page, "18-admin-errors-beside-fields");

        // A unit file with two wrong rows: nothing imported, each row's message under the file field.
        var commune = platform.Communes[30].Code;
        var broken = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(broken, $"code,name,kind,parentCode\n{commune}-T1,Tổ 1,ResidentialArea,{commune}\n{commune}-T2,,ResidentialArea,{commune}\n{commune}-T3,Tổ 3,KhongCo,{commune}\n");
        await page.SetInputFilesAsync("#file", broken);
        await Assertions.Expect(page.Locator("[data-test=import-message]")).ToContainTextAsync("Không có đơn vị nào được nhập");
        await Assertions.Expect(page.Locator("[data-test=error-file] li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-test=error-file]")).ToContainTextAsync("Dòng 3");
        await Browser.ShotAsync(page, "19-admin-import-rows-refused");

        // A good one: the rows processed out of the rows in the file.
        var good = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(good, $"code,name,kind,parentCode\n{commune}-T1,Tổ 1,ResidentialArea,{commune}\n{commune}-T2,Tổ 2,ResidentialArea,{commune}\n{commune}-T3,Trường THCS số 3,School,{commune}\n");
        await page.SetInputFilesAsync("#file", good);
        await Assertions.Expect(page.Locator("[data-test=import-rows]")).ToContainTextAsync("Đã xử lý 3/3 đơn vị của tệp (3 dòng)");
        await Assertions.Expect(page.Locator("[data-test=error-file]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=created]")).ToHaveTextAsync("3");
        await Browser.ShotAsync(page, "20-admin-import-rows");
    }

    /// <summary>Why the token endpoint refuses a password grant (error_description).</summary>
    async Task<string?> RefusalAsync(string username, string password)
    {
        using var client = new HttpClient { BaseAddress = new Uri(platform.Address) };
        using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
        }));
        Assert.False(response.IsSuccessStatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_description").GetString();
    }
}
