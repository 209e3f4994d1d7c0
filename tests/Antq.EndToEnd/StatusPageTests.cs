using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

/// <summary>The administrators' status page in a real browser, against the whole platform (two replicas of each service, the portal, the broker).</summary>
[Collection(PlatformCollection.Name)]
public sealed class StatusPageTests(Platform platform, Browser browser)
{
    [Fact]
    public async Task The_admin_sees_every_service_ready_its_queues_on_the_broker_and_the_page_reads_again_by_itself()
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = platform.Address,
            ViewportSize = new ViewportSize { Width = 1366, Height = 1000 },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dang-nhap");
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", Platform.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(platform.Address) + "$"));

        // Reached from the menu, as an administrator would, once the home page is interactive (a click before that is
        // taken by the page's own navigation as it starts, and the home page stays).
        await page.Locator(".app[data-interactive=true]").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Tình trạng hệ thống" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/quan-tri/trang-thai$"));
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("Tình trạng hệ thống");
        await page.Locator(".app[data-interactive=true]").WaitForAsync();

        foreach (var service in new[] { "gateway", "identity", "plan", "reporting", "classification", "notification", "portal" })
            // The first reading asks every service (each within Gateway:StatusTimeout): on a busy machine it takes seconds.
            await Assertions.Expect(page.Locator($"[data-test=service-{service}] [data-test=service-state]")).ToHaveTextAsync("Sẵn sàng", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-test=total-down]")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-test=status-verdict]")).ToHaveTextAsync("Mọi dịch vụ đang hoạt động và sẵn sàng; không có thư chết.");
        // The version each service was built as, and the broker's queues with their consumers.
        await Assertions.Expect(page.Locator("[data-test=service-reporting] td").Nth(1)).Not.ToHaveTextAsync("–");
        var queue = page.Locator("[data-test=queue-notification-report-submitted]");
        await Assertions.Expect(queue).ToBeVisibleAsync();
        // Notification's replicas consume their queue: the broker samples its figures every few seconds, so a platform
        // started a moment ago may show 0 until the page's next reading.
        await Assertions.Expect(queue.Locator("td").Last).Not.ToHaveTextAsync("0", new() { Timeout = 30_000 });
        Assert.True(int.Parse(await queue.Locator("td").Last.InnerTextAsync()) >= 1, "Notification's replicas consume their queue");
        await Assertions.Expect(page.Locator("[data-test=status-closings]")).ToContainTextAsync("Các lần khóa sổ gần nhất");
        await Assertions.Expect(page.Locator("[data-test=status-failed-deliveries]")).ToContainTextAsync("Các lần gửi thông báo thất bại gần nhất");

        // Live: the page reads the status again by itself (every 5 seconds), without a reload.
        var first = await page.Locator("[data-test=status-updated-at]").InnerTextAsync();
        await Assertions.Expect(page.Locator("[data-test=status-updated-at]")).Not.ToHaveTextAsync(first, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-test=status-updated-at]")).ToContainTextAsync("tự động cập nhật mỗi 5 giây");

        // Readable without sight: one heading for the page, every table named by its caption, every header cell scoped.
        Assert.Equal(1, await page.Locator("main h1").CountAsync());
        var tables = page.Locator("main table");
        Assert.True(await tables.CountAsync() >= 2);
        for (var i = 0; i < await tables.CountAsync(); i++)
            Assert.False(string.IsNullOrWhiteSpace(await tables.Nth(i).Locator("caption").TextContentAsync()), $"table {i} has a caption");
        Assert.Equal(0, await page.Locator("main th:not([scope])").CountAsync());
        Assert.Equal("vi", await page.Locator("html").GetAttributeAsync("lang"));
        await Browser.ShotAsync(page, "18-admin-status");
        await context.CloseAsync();
    }
}
