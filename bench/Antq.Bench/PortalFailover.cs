using System.IO.Hashing;
using System.Text;
using Antq.EndToEnd;
using Microsoft.Playwright;

namespace Antq.Bench;

/// <summary>
/// A person filling the report form in Debian's Chromium (Playwright) through the cluster's gateway while the portal
/// replica holding their circuit is stopped: they must stay signed in (the replicas share keys and sessions) and find
/// the values they had typed and not saved (a value that is not a number keeps the autosave from sending any of them)
/// restored from the browser's own storage by the other replica, with the notice; then they correct and save, and the
/// browser keeps nothing more.
/// </summary>
public static class PortalFailover
{
    const string Chromium = "/usr/bin/chromium";
    const string Period = "2026-H1";

    /// <summary>Returns what was seen, one line; throws with what went wrong.</summary>
    public static async Task<string> RunAsync(string gateway, string prefix, string username, string password,
        Func<string[], Task<string>> podman, Action<string> log)
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = gateway, Locale = "vi-VN", TimezoneId = "Asia/Ho_Chi_Minh" });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // What the page says of its circuit (a failed reconnection, an error) goes to the run's log.
        page.Console += (_, message) => { if (message.Type is "error" or "warning") log($"browser {message.Type}: {message.Text}"); };
        await PortalSignIn.SignInAsync(page, gateway, username, password);
        await page.GotoAsync($"/bao-cao/{Period}");
        await PortalSignIn.DraftTrackedAsync(page);

        var total = (DateTime.UtcNow.Second + 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var note = $"Ghi chép lúc {DateTime.UtcNow:HH:mm:ss}, chưa lưu.";
        await page.FillAsync("#v-TIPS_TOTAL", total);
        await page.FillAsync("#v-KDC_TOTAL", "abc");
        await page.FillAsync("#n-KET_QUA", note);
        await Assertions.Expect(page.Locator("[data-test=save-state]")).ToHaveTextAsync("Chưa lưu: còn số liệu không hợp lệ");

        // The replica the gateway keeps this browser on: its affinity cookie is the hash of the destination's id.
        var cookie = (await context.CookiesAsync()).FirstOrDefault(c => c.Name == "antq_portal_replica")?.Value
            ?? throw new InvalidOperationException("the gateway set no portal affinity cookie");
        var replica = Enumerable.Range(1, 9).FirstOrDefault(n => Hash($"d{n}") == cookie);
        if (replica == 0) throw new InvalidOperationException($"no portal replica hashes to the affinity cookie {cookie}");
        var holder = $"{prefix}-portal-{replica}";
        log($"the form is filled on {holder}; stopping it");
        await podman(["stop", "-t", "10", holder]);
        try
        {
            // The circuit is lost: Blazor's reconnection reaches the other replica, which does not know the circuit, and
            // the page reloads (a person would reload it if it did not).
            var notice = page.Locator("[data-test=draft-notice]");
            try { await notice.WaitForAsync(new() { Timeout = 60_000 }); }
            catch (TimeoutException)
            {
                log("no reload after 60 s: reloading as a person would");
                await page.ReloadAsync();
            }

            await Interactive(page);
            if (page.Url.Contains("/account/login", StringComparison.Ordinal)) throw new InvalidOperationException("signed out by the replica's loss");
            await Assertions.Expect(page.Locator("[data-test=user-name]")).ToBeVisibleAsync();
            await Assertions.Expect(notice).ToContainTextAsync("Đã khôi phục");
            await Assertions.Expect(page.Locator("#v-TIPS_TOTAL")).ToHaveValueAsync(total);
            await Assertions.Expect(page.Locator("#v-KDC_TOTAL")).ToHaveValueAsync("abc");
            await Assertions.Expect(page.Locator("#n-KET_QUA")).ToHaveValueAsync(note);
            var restored = await notice.InnerTextAsync();

            await page.FillAsync("#v-KDC_TOTAL", "12");
            await page.ClickAsync("button:has-text('Lưu nháp')");
            await Assertions.Expect(page.Locator("[data-test=save-state]")).ToContainTextAsync("Đã lưu lúc");
            await page.WaitForFunctionAsync("() => !Object.keys(localStorage).some(k => k.startsWith('antq-report-draft:'))");
            return $"{holder} stopped mid-fill: still signed in on the other replica, \"{restored.Split('\n')[0].Trim()}\", the values back, saved, the browser's storage empty";
        }
        finally
        {
            await podman(["start", holder]);
        }
    }

    static Task Interactive(IPage page) => PortalSignIn.InteractiveAsync(page);

    /// <summary>YARP's HashCookie affinity value of a destination id (XxHash64 of its upper-case UTF-16 text, in hex).</summary>
    static string Hash(string destinationId) => Convert.ToHexStringLower(XxHash64.Hash(Encoding.Unicode.GetBytes(destinationId.ToUpperInvariant())));
}
