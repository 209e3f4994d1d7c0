using System.Text.RegularExpressions;
using Antq.Calendar;
using Antq.Demo;
using Antq.EndToEnd;
using Microsoft.Playwright;

namespace Antq.Journeys;

/// <summary>
/// The played season seen in the portal, as a newcomer sees it after <c>deploy/antq up</c>: each demo account signs in
/// through the portal in Debian's Chromium and opens every page its menu offers (and the report form and preferences),
/// each showing what the season left there; a screenshot of each on a laptop (1280 px) and on a phone (390 px, where
/// nothing may scroll sideways) kept with the test results as demo-&lt;account&gt;-&lt;page&gt;-&lt;size&gt;.png.
/// </summary>
public sealed partial class DemoSeasonJourney
{
    const string OpenPeriod = "2026-Y";

    [Fact]
    public async Task Every_demo_account_walks_its_pages_in_the_portal_on_a_laptop_and_a_phone_and_each_shows_the_season()
    {
        await PlayedAsync();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var problems = new List<string>();
        var walked = new List<string>();
        foreach (var account in DemoSeason.Accounts)
        {
            var page = await PortalPages.SignInAsync(browser.Chromium, platform.Address, account.Username, platform.Options.DemoPassword,
                PortalPages.DesktopWidth, PortalPages.DesktopHeight);
            try
            {
                var menu = await page.Locator("nav.mainnav a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
                Assert.Contains("/thong-bao", menu);
                string[] more = account.Role == "CommuneOfficer" ? [$"/bao-cao/{OpenPeriod}", "/thong-bao/tuy-chon"] : ["/thong-bao/tuy-chon"];
                foreach (var path in menu.Concat(more))
                {
                    await page.GotoAsync(path);
                    await PortalPages.ReadyAsync(page);
                    var where = $"{account.Username} {path}";
                    try
                    {
                        await ShowsTheSeasonAsync(page, account, path);
                    }
                    catch (Exception e) when (e is PlaywrightException or Xunit.Sdk.XunitException)
                    {
                        problems.Add($"{where}: {e.Message.Split('\n')[0]}");
                    }

                    problems.AddRange(await ShotsAsync(page, $"demo-{account.Username}-{Name(path)}", where));
                    walked.Add(where);
                }

                // An address the portal does not have: its own page, in the layout (the menu still there), a way home.
                var missing = await page.GotoAsync("/khong-co-trang-nay");
                Assert.Equal(404, missing!.Status);
                await PortalSignIn.InteractiveAsync(page);
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Không tìm thấy trang");
                await Assertions.Expect(page.Locator("nav.mainnav a[href='/thong-bao']")).ToHaveCountAsync(1);
                problems.AddRange(await ShotsAsync(page, $"demo-{account.Username}-not-found", $"{account.Username} not found"));
                await page.Locator("[data-test=not-found-home]").ClickAsync();
                await page.WaitForURLAsync(new Regex("^" + Regex.Escape(platform.Address) + "$"));
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        }

        output.WriteLine($"walked {walked.Count} pages in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0} s: " + string.Join("; ", walked));
        output.WriteLine($"screenshots in {Browser.ScreenshotDir}");
        Assert.True(problems.Count == 0, "The demo season in the portal:\n" + string.Join("\n", problems));
    }

    /// <summary>What each page must show after the season, read from the page itself.</summary>
    async Task ShowsTheSeasonAsync(IPage page, DemoAccount account, string path)
    {
        var commune = account.Role == "CommuneOfficer";
        switch (path.Split('?')[0])
        {
            case "/" when commune:
                // The open period's deadline, counted from the platform's clock (the demo's day, not the machine's).
                var due = page.Locator($"[data-test=due-{OpenPeriod}]");
                await Assertions.Expect(due.Locator("[data-test=deadline]")).ToContainTextAsync("15/12/2026");
                if (await due.Locator("[data-test=days-left]").CountAsync() > 0)
                {
                    var left = DueDate.DaysLeftText(JourneyPlatform.VietnamMidnight("2026-12-15"), platform.Clock.GetUtcNow());
                    await Assertions.Expect(due.Locator("[data-test=days-left]")).ToHaveTextAsync(left);
                }

                await AtLeastOneAsync(page.Locator(".notices li"), "notices on the home page");
                break;
            case "/" or "/theo-doi":
                await LastPeriodOfTheUnitAsync(page, account);
                await Assertions.Expect(page.Locator("[data-test=board]")).ToBeVisibleAsync();
                await PositiveAsync(page.Locator("[data-test=count-submitted] .count-number"), "submitted on the board");
                await Assertions.Expect(page.Locator("[data-test=submission-svg]")).ToHaveCountAsync(1);
                break;
            case "/tong-hop":
                await LastPeriodOfTheUnitAsync(page, account);
                await Assertions.Expect(page.Locator("[data-test=rollup]")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("[data-test=submission-svg]")).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("[data-test=bars-svg]")).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("[data-test=trend-svg]")).ToHaveCountAsync(1);
                break;
            case "/phan-loai":
                // 2025 is the year the season classified.
                await page.GetByLabel("Năm", new() { Exact = true }).FillAsync("2025");
                await page.GetByLabel("Năm", new() { Exact = true }).PressAsync("Tab");
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Phân loại phong trào năm 2025");
                if (account.Unit == DemoSeason.District380)
                    await Assertions.Expect(page.Locator(".alert.error")).ToContainTextAsync("Không tìm thấy đơn vị có mã 380"); // gone before 2025's classification
                else if (commune)
                {
                    await Assertions.Expect(page.Locator("[data-test=cls-class]")).ToBeVisibleAsync(); // the commune's score sheet, the province's scores in it
                    if (account.Unit == DemoSeason.HamRong) await Assertions.Expect(page.Locator("[data-test=cls-class]")).Not.ToHaveTextAsync("chưa xếp loại");
                }
                else await Assertions.Expect(page.Locator("[data-test=class-svg]")).ToHaveCountAsync(1);
                break;
            case "/thong-bao":
                await AtLeastOneAsync(page.Locator(".notices li"), "notices in the inbox");
                break;
            case "/thong-bao/tuy-chon":
                await Assertions.Expect(page.Locator("[data-test=preferences-form]")).ToBeVisibleAsync();
                break;
            case "/bao-cao" or $"/bao-cao/{OpenPeriod}":
                await Assertions.Expect(page.Locator("[data-test=report-status]")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("[data-test=deadline]")).ToContainTextAsync("15/12/2026");
                break;
            case "/lich-su":
                await AtLeastOneAsync(page.Locator("[data-test=history] tbody tr"), "reports in the history");
                break;
            case "/ke-hoach":
                // The plans of the account's own unit in the demo's year: the province's and Hàm Rồng's; the others have none of their own.
                await Assertions.Expect(page.Locator("h2").First).ToHaveTextAsync("Các kế hoạch năm 2026");
                var own = account.Username == "pv01.thanhhoa" ? DemoSeason.Plan2026 : account.Unit == DemoSeason.HamRong ? DemoSeason.CommunePlan : null;
                if (own is null) await Assertions.Expect(page.Locator("[data-test=no-plans]")).ToBeVisibleAsync();
                else await Assertions.Expect(page.Locator("[data-test=plans]")).ToContainTextAsync(own);
                break;
            default:
                throw new Xunit.Sdk.XunitException($"no check written for {path}: add what the page must show after the season");
        }
    }

    /// <summary>
    /// The period a board or roll-up opens on: the open one, except for the district abolished on 01/07/2025, whose
    /// pages open on its last period (2025-H1) and say why.
    /// </summary>
    static async Task LastPeriodOfTheUnitAsync(IPage page, DemoAccount account)
    {
        var district = account.Unit == DemoSeason.District380;
        await Assertions.Expect(page.Locator("[data-test=period]")).ToHaveValueAsync(district ? "2025-H1" : OpenPeriod);
        await Assertions.Expect(page.Locator("[data-test=earlier-period]")).ToHaveCountAsync(district ? 1 : 0);
    }

    /// <summary>The page on a laptop, then on a phone (where nothing may scroll sideways); the problems found at the phone's width.</summary>
    static async Task<List<string>> ShotsAsync(IPage page, string name, string where)
    {
        var problems = new List<string>();
        await Browser.ShotAsync(page, name + "-desktop");
        await page.SetViewportSizeAsync(PortalPages.PhoneWidth, PortalPages.PhoneHeight);
        if (await PortalPages.SidewaysScrollAsync(page) is { } sideways) problems.Add($"{where} (phone): {sideways}");
        await Browser.ShotAsync(page, name + "-phone");
        await page.SetViewportSizeAsync(PortalPages.DesktopWidth, PortalPages.DesktopHeight);
        return problems;
    }

    static string Name(string path) => path == "/" ? "home" : path.Trim('/').Replace('/', '-').Replace('?', '-').Replace('=', '-');

    static async Task AtLeastOneAsync(ILocator items, string what)
    {
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        Assert.True(await items.CountAsync() > 0, $"no {what}");
    }

    static async Task PositiveAsync(ILocator number, string what)
    {
        var text = await number.First.TextContentAsync();
        Assert.True(int.TryParse(text?.Replace(".", ""), out var n) && n > 0, $"{what}: \"{text}\"");
    }
}
