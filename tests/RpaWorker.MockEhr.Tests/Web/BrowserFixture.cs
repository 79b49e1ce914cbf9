using Microsoft.Playwright;
using RpaWorker.Drivers.Web;

namespace RpaWorker.MockEhr.Tests.Web;

/// <summary>
/// One headless Chromium for all web tests: Playwright's own build when installed, else the system
/// one. No browser is a broken test environment, so this fails rather than skips.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture has not started.");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        // The product's own browser choice: Playwright's Chromium when installed, else the system one; none is an error.
        _browser = await ChromiumLocator.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
