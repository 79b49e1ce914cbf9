using Microsoft.Playwright;

namespace RpaWorker.Bench.HandWritten;

/// <summary>
/// Starts Chromium the way the product does (src/RpaWorker.Drivers.Web/ChromiumLocator.cs and WebUiDriver.cs), so
/// that the benchmark compares two programs driving the same browser with the same switches and window size.
/// </summary>
internal static class Chromium
{
    private const string SystemChromium = "/usr/bin/chromium";

    // The same switches as the product's ChromiumLocator.LaunchArguments; copied rather than referenced so that this
    // program shares nothing with the engine it is measured against.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Playwright's own Chromium when it is installed and starts, else Debian's.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (PlaywrightBrowserInstalled(playwright))
        {
            try
            {
                return await StartAsync(playwright, null);
            }
            catch (PlaywrightException) when (File.Exists(SystemChromium))
            {
                // Headless runs need Playwright's separate headless shell; the system browser does without.
            }
        }
        return await StartAsync(playwright, SystemChromium);
    }

    /// <summary>A browser context like a product session's: the window size legacy layouts were made for.</summary>
    public static Task<IBrowserContext> NewContextAsync(IBrowser browser) =>
        browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-US" });

    private static Task<IBrowser> StartAsync(IPlaywright playwright, string? path) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { Headless = true, Args = Arguments, ExecutablePath = path });

    private static bool PlaywrightBrowserInstalled(IPlaywright playwright)
    {
        try
        {
            return File.Exists(playwright.Chromium.ExecutablePath);
        }
        catch (PlaywrightException)
        {
            return false;
        }
    }
}
