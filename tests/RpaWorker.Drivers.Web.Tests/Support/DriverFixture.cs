namespace RpaWorker.Drivers.Web.Tests.Support;

/// <summary>One browser and one set of legacy pages per test class: starting Chromium is the slow part.</summary>
public sealed class DriverFixture : IAsyncLifetime
{
    private WebUiDriver? _driver;
    private LegacyPages? _pages;

    public WebUiDriver Driver => _driver ?? throw new InvalidOperationException("The fixture has not started.");

    public LegacyPages Pages => _pages ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _pages = await LegacyPages.StartAsync();
        _driver = await WebUiDriver.LaunchAsync(new WebDriverOptions { NavigationTimeout = TimeSpan.FromSeconds(10) }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_driver is not null)
        {
            await _driver.DisposeAsync();
        }
        if (_pages is not null)
        {
            await _pages.DisposeAsync();
        }
    }
}
