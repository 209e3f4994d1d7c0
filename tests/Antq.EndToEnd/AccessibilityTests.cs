using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

/// <summary>
/// Every page of the portal, as each role sees it, on a laptop and on a phone: checked by axe-core (no serious or
/// critical violation), no sideways scrolling at 390 px, and a screenshot of each kept with the test results. The
/// world is the platform fixture's small province (seeding the whole demo season would take minutes); the roles are
/// those of the demo accounts that this province has units for.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessibilityTests(Platform platform, Browser browser)
{
    const string Password = "Mat-khau-A11y-2026";
    const int PhoneWidth = PortalPages.PhoneWidth, PhoneHeight = PortalPages.PhoneHeight;
    static readonly string[] Blocking = ["serious", "critical"];
    static readonly List<string> Lesser = [];

    Task<IPage> OpenAsync(int width, int height) => PortalPages.OpenAsync(browser.Chromium, platform.Address, width, height);

    Task<IPage> SignInAsync(string username, string password, int width, int height) =>
        PortalPages.SignInAsync(browser.Chromium, platform.Address, username, password, width, height);

    static Task InteractiveAsync(IPage page) => PortalPages.ReadyAsync(page);

    /// <summary>The serious and critical axe violations of the page, one line per element, empty when there are none.</summary>
    static async Task<List<string>> AxeAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        // The lesser findings (moderate, minor) do not fail the run but are kept with the screenshots for the next pass.
        lock (Lesser)
        {
            foreach (var violation in result.Violations.Where(v => !Blocking.Contains(v.Impact)))
                Lesser.Add($"{where}: [{violation.Impact}] {violation.Id} ({violation.Help}) × {violation.Nodes.Length}: {violation.Nodes.FirstOrDefault()?.Target}");
        }

        var problems = new List<string>();
        foreach (var violation in result.Violations.Where(v => Blocking.Contains(v.Impact)))
        {
            foreach (var node in violation.Nodes)
                problems.Add($"{where}: [{violation.Impact}] {violation.Id} ({violation.Help}) at {node.Target}: {Shorten(node.Html)}");
        }

        return problems;
    }

    static string Shorten(string? html) => html is null ? "" : html.Length <= 160 ? html : html[..160] + "…";

    /// <summary>Walks the pages at one size: axe, no horizontal scroll on a phone, a screenshot named role-page-size.</summary>
    async Task<List<string>> WalkAsync(string role, string username, string password, IReadOnlyList<(string Name, string Path)> pages, bool phone)
    {
        var (width, height) = phone ? (PhoneWidth, PhoneHeight) : (1280, 900);
        var size = phone ? "phone" : "desktop";
        var page = await SignInAsync(username, password, width, height);
        var problems = new List<string>();
        try
        {
            foreach (var (name, path) in pages)
            {
                await page.GotoAsync(path);
                await InteractiveAsync(page);
                var where = $"{role} {path} ({size})";
                problems.AddRange(await AxeAsync(page, where));
                if (phone && await PortalPages.SidewaysScrollAsync(page) is { } sideways) problems.Add($"{where}: {sideways}");

                await Browser.ShotAsync(page, $"a11y-{role}-{name}-{size}");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        return problems;
    }

    [Fact]
    public async Task Every_page_of_every_role_passes_axe_and_fits_a_phone()
    {
        var (communeCode, _) = platform.Communes[4];
        var (otherCode, _) = platform.Communes[5];
        await platform.CreateUserAsync("a11y.xa", Password, "Giàng A Páo", "CommuneOfficer", communeCode);
        await platform.CreateUserAsync("a11y.tinh", Password, "Đỗ Thị Hạnh", "ProvinceOfficer", Platform.ProvinceCode);
        await platform.CreateUserAsync("a11y.xem", Password, "Phạm Văn Lực", "Viewer", Platform.ProvinceCode);
        // A submitted report of another commune, so the board, the roll-up and the review page have something to show.
        await platform.CreateUserAsync("a11y.xa2", Password, "Lò Thị Mai", "CommuneOfficer", otherCode);
        using (var other = new HttpClient { BaseAddress = new Uri(platform.Address) })
        {
            other.DefaultRequestHeaders.Authorization = new("Bearer", await platform.TokenAsync("a11y.xa2", Password));
            var body = new Antq.Testing.Load.FullReport().Body(Platform.Period, seed: 11);
            using var submitted = await other.PostAsync($"api/reports/{otherCode}/{Platform.Period}/submit", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        }

        var walks = new (string Role, string User, string Password, (string, string)[] Pages)[]
        {
            ("commune", "a11y.xa", Password,
            [
                ("home", "/"), ("report", $"/bao-cao/{Platform.Period}"), ("history", "/lich-su"), ("plans", "/ke-hoach"),
                ("classification", "/phan-loai"), ("inbox", "/thong-bao"), ("preferences", "/thong-bao/tuy-chon"),
            ]),
            ("province", "a11y.tinh", Password,
            [
                ("board", "/"), ("board-period", $"/theo-doi?ky={Platform.Period}"), ("rollup", "/tong-hop"),
                ("review", $"/xem-bao-cao/{otherCode}/{Platform.Period}"), ("plans", "/ke-hoach"), ("classification", "/phan-loai"),
                ("inbox", "/thong-bao"), ("preferences", "/thong-bao/tuy-chon"),
            ]),
            ("viewer", "a11y.xem", Password, [("board", "/"), ("rollup", "/tong-hop"), ("inbox", "/thong-bao")]),
            ("admin", "admin", Platform.AdminPassword,
            [
                ("home", "/"), ("admin", "/quan-tri"), ("plans", "/ke-hoach"), ("classification", "/phan-loai"), ("inbox", "/thong-bao"), ("status", "/quan-tri/trang-thai"),
            ]),
        };

        var problems = new List<string>();
        foreach (var (role, user, password, pages) in walks)
        {
            problems.AddRange(await WalkAsync(role, user, password, pages, phone: false));
            problems.AddRange(await WalkAsync(role, user, password, pages, phone: true));
        }

        // The page a visitor sees before signing in.
        foreach (var phone in new[] { false, true })
        {
            var page = await OpenAsync(phone ? PhoneWidth : 1280, phone ? PhoneHeight : 900);
            var size = phone ? "phone" : "desktop";
            await page.GotoAsync("/");
            await page.Locator(".app[data-interactive=true]").WaitForAsync();
            problems.AddRange(await AxeAsync(page, $"anonymous / ({size})"));
            await Browser.ShotAsync(page, $"a11y-anonymous-welcome-{size}");

            await page.Context.CloseAsync();
        }

        await File.WriteAllLinesAsync(Path.Combine(Browser.ScreenshotDir, "a11y-problems.txt"), problems);
        lock (Lesser) File.WriteAllLines(Path.Combine(Browser.ScreenshotDir, "a11y-lesser.txt"), Lesser);
        Assert.True(problems.Count == 0, "Accessibility problems:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task A_commune_officer_on_a_phone_fills_and_submits_a_report_and_reads_the_accepted_notice_in_the_inbox()
    {
        var (communeCode, _) = platform.Communes[6];
        await platform.CreateUserAsync("a11y.dienthoai", Password, "Tòng Văn Khánh", "CommuneOfficer", communeCode);
        var page = await SignInAsync("a11y.dienthoai", Password, PhoneWidth, PhoneHeight);
        await Assertions.Expect(page.Locator($"[data-test=due-{Platform.Period}]")).ToBeVisibleAsync();
        await page.Locator($"[data-test=due-{Platform.Period}] a").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/bao-cao/{Platform.Period}$"));
        await InteractiveAsync(page);

        await page.Locator("#v-TIPS_TOTAL").FillAsync("12");
        await page.Locator("#v-TIPS_VALUABLE").FillAsync("3");
        await page.Locator("#v-KDC_TOTAL").FillAsync("3");
        await page.Locator("#v-MODELS_ACTIVE").FillAsync("1");
        await page.FillAsync("#n-KET_QUA", "Họp dân tại 4 bản, tiếp nhận 12 nguồn tin.");
        await Assertions.Expect(page.Locator("[data-test=computed-PCT_TIPS_VALUABLE]")).ToHaveTextAsync("25");
        Assert.Empty(await AxeAsync(page, "phone report form"));
        await AssertFitsAsync(page);

        var submit = page.Locator("[data-test=submit]");
        await submit.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(submit).ToBeVisibleAsync();
        await Assertions.Expect(submit).ToBeInViewportAsync();
        await Assertions.Expect(submit).ToBeEnabledAsync();
        var box = (await submit.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= PhoneWidth, $"the submit button lies outside the screen: x={box.X}, width={box.Width}");
        Assert.True(box.Height >= 24, $"the submit button is {box.Height}px high, too small to tap");
        await Browser.ShotAsync(page, "phone-report-filled");
        await submit.TapAsync();
        await Assertions.Expect(page.Locator("[data-test=report-status]")).ToHaveTextAsync("Đã nộp");
        await Assertions.Expect(page.Locator("[data-test=submitted-banner]")).ToBeVisibleAsync();
        await AssertFitsAsync(page);
        await Browser.ShotAsync(page, "phone-report-submitted");

        // The province accepts it; the commune reads the notice on its phone and marks it read.
        var accepted = await platform.Admin.PostAsync($"api/reports/{communeCode}/{Platform.Period}/accept", null);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        var notice = page.Locator(".notices li.unread", new() { HasTextString = "đã được tiếp nhận" });
        await Platform.Eventually(async () =>
        {
            await page.GotoAsync("/thong-bao");
            await InteractiveAsync(page);
            return await notice.CountAsync() > 0;
        }, "the commune's inbox never showed the acceptance", seconds: 30);
        Assert.Empty(await AxeAsync(page, "phone inbox"));
        await AssertFitsAsync(page);
        await Browser.ShotAsync(page, "phone-inbox");
        await notice.First.GetByRole(AriaRole.Button, new() { Name = "Đánh dấu đã đọc" }).TapAsync();
        await Assertions.Expect(page.Locator(".notices li", new() { HasTextString = "đã được tiếp nhận" }).First).Not.ToHaveClassAsync(new Regex("unread"));
        await page.Context.CloseAsync();
    }

    /// <summary>A number as the portal writes it (1.234,5).</summary>
    static string Vn(decimal value) => Antq.Portal.Formatting.Vn.Number(value);

    [Fact]
    public async Task The_charts_of_the_board_the_rollup_and_the_classification_draw_the_numbers_of_their_tables_and_pass_axe()
    {
        // Three communes report; the province officer reads the charts on a laptop, on a phone and in print.
        var reporters = platform.Communes.Skip(20).Take(3).Select(c => c.Code).ToList();
        for (var i = 0; i < reporters.Count; i++)
        {
            await platform.CreateUserAsync($"bieudo.xa{i}", Password, $"Cán bộ xã {i}", "CommuneOfficer", reporters[i]);
            using var client = new HttpClient { BaseAddress = new Uri(platform.Address) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", await platform.TokenAsync($"bieudo.xa{i}", Password));
            var body = new Antq.Testing.Load.FullReport().Body(Platform.Period, seed: 40 + i);
            using var submitted = await client.PostAsync($"api/reports/{reporters[i]}/{Platform.Period}/submit", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        }

        await platform.CreateUserAsync("bieudo.tinh", Password, "Nguyễn Thị Thu", "ProvinceOfficer", Platform.ProvinceCode);
        var problems = new List<string>();
        foreach (var phone in new[] { false, true })
        {
            var size = phone ? "phone" : "desktop";
            var page = await SignInAsync("bieudo.tinh", Password, phone ? PhoneWidth : 1280, phone ? PhoneHeight : 900);

            // The board: the cumulative line ends at the number the board counts as submitted, with the deadline drawn.
            await page.GotoAsync($"/theo-doi?ky={Platform.Period}");
            await InteractiveAsync(page);
            var submittedCount = await page.Locator("[data-test=count-submitted] .count-number").TextContentAsync();
            Assert.True(int.Parse(submittedCount!) >= reporters.Count, submittedCount);
            await Assertions.Expect(page.Locator("[data-test=submission-svg]")).ToHaveAttributeAsync("role", "img");
            await Assertions.Expect(page.Locator("[data-test=submission-svg] title")).ToContainTextAsync("so với hạn nộp");
            await Assertions.Expect(page.Locator("[data-test=submission-svg] [data-test=deadline-line]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-test=submission-table] [data-test=cumulative]").Last).ToHaveTextAsync(submittedCount!);

            // The bars: TIPS_TOTAL of each commune as its own roll-up gives it, sortable by name.
            await page.Locator("[data-test=bars-indicator]").First.SelectOptionAsync("TIPS_TOTAL");
            foreach (var code in reporters)
            {
                var own = await platform.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/rollups/{code}/{Platform.Period}");
                var value = own.GetProperty("values").GetProperty("TIPS_TOTAL").GetProperty("value").GetDecimal();
                await Assertions.Expect(page.Locator($"[data-test=bars-table] tr[data-bar-unit='{code}'] [data-test=bar-value]").First).ToHaveTextAsync(Vn(value));
                await Assertions.Expect(page.Locator($"[data-test=bars-svg] g[data-bar-unit='{code}'] text.value").First).ToHaveTextAsync(Vn(value));
            }

            await page.Locator("[data-test=bars-order]").First.SelectOptionAsync("Name");
            var names = await page.Locator("[data-test=bars-table] tbody tr td:nth-child(2)").AllTextContentsAsync();
            Assert.Equal(platform.Communes.Count, names.Count);

            // The trend: this period's figure of the province is the roll-up's.
            var rollup = await platform.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/rollups/{Platform.ProvinceCode}/{Platform.Period}");
            var total = rollup.GetProperty("values").GetProperty("TIPS_TOTAL").GetProperty("value").GetDecimal();
            await Assertions.Expect(page.Locator($"[data-test=trend-table] tr[data-period='{Platform.Period}'] [data-test=trend-value]").First).ToHaveTextAsync(Vn(total));
            await Assertions.Expect(page.Locator("[data-test=trend-svg] g[data-period]")).ToHaveCountAsync(4);
            problems.AddRange(await AxeAsync(page, $"charts on the board ({size})"));
            if (phone) await AssertFitsAsync(page);
            await Browser.ShotAsync(page, $"charts-board-{size}");

            // The roll-up page carries the same charts under its table.
            await page.GotoAsync("/tong-hop");
            await InteractiveAsync(page);
            await Assertions.Expect(page.Locator("[data-test=submission-svg]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-test=bars-svg]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-test=trend-svg]")).ToHaveCountAsync(1);
            problems.AddRange(await AxeAsync(page, $"charts on the roll-up ({size})"));
            if (phone) await AssertFitsAsync(page);
            await Browser.ShotAsync(page, $"charts-rollup-{size}");
            if (!phone)
            {
                // In print the tables are open beside their charts and the controls are gone.
                await page.EmulateMediaAsync(new() { Media = Media.Print });
                await Assertions.Expect(page.Locator("[data-test=bars-table] table")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("[data-test=bars-order]")).ToBeHiddenAsync();
                await Browser.ShotAsync(page, "charts-rollup-print");
                await page.EmulateMediaAsync(new() { Media = Media.Screen });
            }

            // Classification: the classes against the plan's target, the table's counts those of the summary.
            await page.GotoAsync("/phan-loai");
            await InteractiveAsync(page);
            var year = DateTime.UtcNow.AddHours(7).Year;
            var summary = await platform.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/classifications/{Platform.ProvinceCode}/{year}/summary");
            await Assertions.Expect(page.Locator("[data-test=class-svg] g.class-row")).ToHaveCountAsync(summary.GetProperty("classes").GetArrayLength() + 2);
            foreach (var c in summary.GetProperty("classes").EnumerateArray())
            {
                await Assertions.Expect(page.Locator($"[data-test=class-table] tr[data-class='{c.GetProperty("class").GetString()}'] [data-test=class-count]"))
                    .ToHaveTextAsync(Vn(c.GetProperty("count").GetInt32()));
            }

            await Assertions.Expect(page.Locator("[data-test=class-table] tr[data-class=''] [data-test=class-count]"))
                .ToHaveTextAsync(Vn(summary.GetProperty("unclassified").GetInt32()));
            problems.AddRange(await AxeAsync(page, $"classification chart ({size})"));
            if (phone) await AssertFitsAsync(page);
            await Browser.ShotAsync(page, $"charts-classification-{size}");
            await page.Context.CloseAsync();
        }

        Assert.True(problems.Count == 0, "Accessibility problems:\n" + string.Join("\n", problems));
    }

    static async Task AssertFitsAsync(IPage page)
    {
        var sideways = await PortalPages.SidewaysScrollAsync(page);
        Assert.True(sideways is null, $"{page.Url}: {sideways}");
    }
}
