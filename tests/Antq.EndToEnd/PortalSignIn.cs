using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

/// <summary>
/// Signing in to the portal as a person does: the portal's sign-in link, the Identity service's own login page
/// (reached through the authorization request with PKCE), and back to the portal's root. Also compiled into
/// bench/Antq.Bench (linked), whose cluster fault run signs a person in the same way.
/// </summary>
public static class PortalSignIn
{
    public static async Task SignInAsync(IPage page, string address, string username, string password)
    {
        await page.GotoAsync("/dang-nhap");
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("^" + Regex.Escape(address) + "$"));
    }

    /// <summary>Waits until the page's circuit is live, so clicks and typing reach the components.</summary>
    public static Task InteractiveAsync(IPage page) => page.Locator(".app[data-interactive=true]").WaitForAsync();

    /// <summary>
    /// Interactive, and the report form's input kept by the browser from now on: report-draft.js attaches to the form
    /// after the circuit starts, so input typed before that would not be kept.
    /// </summary>
    public static async Task DraftTrackedAsync(IPage page)
    {
        await InteractiveAsync(page);
        await page.Locator("form[data-draft-tracked=true]").WaitForAsync();
    }
}
