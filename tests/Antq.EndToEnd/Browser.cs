using Antq.Testing;
using Microsoft.Playwright;

namespace Antq.EndToEnd;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), and where screenshots are kept.</summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright playwright = null!;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>
    /// Beside the run's test results (deploy/antq test writes them to test-results/ under its state folder and empties
    /// it before each run), so that a run's screenshots are its artefacts and never land in the checkout's tracked files.
    /// </summary>
    public static string ScreenshotDir { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("ANTQ_TEST_STATE") is { Length: > 0 } state ? Path.Combine(state, "test-results") : AppContext.BaseDirectory,
        "screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's package with `apt-get install -y chromium`.");
        Directory.CreateDirectory(ScreenshotDir);
        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        playwright.Dispose();
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });
}
