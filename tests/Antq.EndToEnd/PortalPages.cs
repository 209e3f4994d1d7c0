using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

/// <summary>
/// A person at the portal at one screen size: a fresh browser context (Vietnamese, Vietnam time), signed in, each page
/// waited for until its first reads are done, and the phone's rule that nothing scrolls sideways. Also compiled into
/// tests/Antq.Journeys (linked), whose demo season walks every demo account's pages.
/// </summary>
public static class PortalPages
{
    public const int PhoneWidth = 390, PhoneHeight = 844;
    public const int DesktopWidth = 1280, DesktopHeight = 900;

    public static async Task<IPage> OpenAsync(IBrowser browser, string address, int width, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = address,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
            IsMobile = width < 600,
            HasTouch = width < 600,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new context at the size, signed in through the portal, on the home page with its circuit live.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, string address, string username, string password, int width, int height)
    {
        var page = await OpenAsync(browser, address, width, height);
        await PortalSignIn.SignInAsync(page, address, username, password);
        await ReadyAsync(page);
        return page;
    }

    /// <summary>The circuit is live and the page has finished its first reads (no "Đang tải…" left).</summary>
    public static async Task ReadyAsync(IPage page)
    {
        await PortalSignIn.InteractiveAsync(page);
        await Assertions.Expect(page.GetByText(new Regex("^Đang (tải|kiểm tra)"))).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    /// <summary>
    /// Why the page does not fit a phone's width, or null when it does: the document scrolls sideways, or the menu
    /// hides links beyond its own edge (a menu that scrolls sideways by itself).
    /// </summary>
    public static Task<string?> SidewaysScrollAsync(IPage page) => page.EvaluateAsync<string?>("""
        () => {
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth) return `the page is ${doc.scrollWidth}px wide on a ${doc.clientWidth}px screen`;
          const nav = document.querySelector('nav.mainnav');
          if (nav && nav.scrollWidth > nav.clientWidth) return `the menu is ${nav.scrollWidth}px wide in ${nav.clientWidth}px`;
          return null;
        }
        """);
}
