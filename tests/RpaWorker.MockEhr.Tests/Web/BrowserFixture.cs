using Microsoft.Playwright;

namespace RpaWorker.MockEhr.Tests.Web;

/// <summary>
/// One headless Chromium for all web tests: Playwright's own build when installed, else the system
/// one. No browser is a broken test environment, so this fails rather than skips.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string SystemChromium = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture has not started.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var options = new BrowserTypeLaunchOptions { Headless = true, Args = Args };
        try
        {
            return await playwright.Chromium.LaunchAsync(options);
        }
        catch (PlaywrightException) when (File.Exists(SystemChromium))
        {
            // Playwright's own download is absent (or broken): the system package is the supported fallback.
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(
                $"No Chromium for the web tests: install Playwright's browser (playwright.ps1 install chromium) or the system package at {SystemChromium}.", e);
        }
        options.ExecutablePath = SystemChromium;
        return await playwright.Chromium.LaunchAsync(options);
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
