using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

/// <summary>Each account's notification preferences, set on the portal's page and kept by Notification.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PreferencesPageTests(Platform platform, Browser browser)
{
    const string Password = "Mat-khau-E2E-2026";

    [Fact]
    public async Task An_officer_chooses_an_hourly_digest_and_his_hour_on_his_page_and_a_night_hour_is_refused_under_its_field()
    {
        await platform.CreateUserAsync("pv01.tuychon", Password, "Lê Văn Cường", "ProvinceOfficer", Platform.ProvinceCode);
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = platform.Address, Locale = "vi-VN", TimezoneId = "Asia/Ho_Chi_Minh",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dang-nhap");
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.FillAsync("#username", "pv01.tuychon");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(platform.Address) + "$"));

        // From the inbox to the page; Notification learns of the new account through the broker, within seconds.
        await page.GotoAsync("/thong-bao");
        await page.Locator("[data-test=preferences-link]").ClickAsync();
        await page.WaitForURLAsync(new Regex("/thong-bao/tuy-chon$"));
        for (var attempt = 0; attempt < 30 && !await page.Locator("[data-test=preferences-form]").IsVisibleAsync(); attempt++)
        {
            await Task.Delay(1000);
            await page.ReloadAsync();
        }

        await Assertions.Expect(page.Locator(".app[data-interactive=true]")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("[data-test=pref-digest-effective]")).ToContainTextAsync("15 phút");
        await Assertions.Expect(page.Locator("[data-test=pref-inapp]")).ToBeCheckedAsync();

        // 23:00 is in the night: the service's message, in Vietnamese, under the hour's field; nothing saved.
        await page.FillAsync("[data-test=pref-remind]", "23:00");
        await page.SelectOptionAsync("[data-test=pref-digest]", "01:00:00");
        await page.ClickAsync("[data-test=pref-save]");
        await Assertions.Expect(page.Locator("[data-test=error-remindAt]")).ToContainTextAsync("nằm trong giờ nghỉ 21:00-07:00");
        await Assertions.Expect(page.Locator("#pref-remind")).ToHaveAttributeAsync("aria-describedby", "err-remindAt");
        await Assertions.Expect(page.Locator("[data-test=pref-digest-effective]")).ToContainTextAsync("15 phút");

        // 08:00 and hourly: saved, and the window that now applies to his address is an hour.
        await page.FillAsync("[data-test=pref-remind]", "08:00");
        await page.ClickAsync("[data-test=pref-save]");
        await Assertions.Expect(page.Locator("[data-test=pref-message]")).ToHaveTextAsync("Đã lưu tùy chọn nhận thông báo.");
        await Assertions.Expect(page.Locator("[data-test=error-remindAt]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=pref-digest-effective]")).ToContainTextAsync("mỗi giờ");

        // Kept by Notification: a new visit shows them.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-test=pref-remind]")).ToHaveValueAsync("08:00");
        await Assertions.Expect(page.Locator("[data-test=pref-digest]")).ToHaveValueAsync("01:00:00");
        await context.CloseAsync();
    }
}
