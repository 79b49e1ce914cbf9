using Microsoft.Playwright;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web;

/// <summary>
/// The web driver: one Chromium per driver, one browser context (cookies, storage) per session. Dispose it to close
/// the browser and every session still open.
/// </summary>
public sealed class WebUiDriver : IUiDriver
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly WebDriverOptions _options;
    private int _disposed;

    private WebUiDriver(IPlaywright playwright, IBrowser browser, WebDriverOptions options)
    {
        _playwright = playwright;
        _browser = browser;
        _options = options;
    }

    /// <inheritdoc />
    public string Kind => "web";

    /// <summary>Starts Playwright and the browser (see <see cref="ChromiumLocator"/> for which one).</summary>
    /// <exception cref="BrowserNotFoundException">No Chromium is installed, or it does not start.</exception>
    public static async Task<WebUiDriver> LaunchAsync(WebDriverOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var playwright = await Playwright.CreateAsync().WaitAsync(cancellationToken);
        try
        {
            // Engines must be registered before the first page exists.
            await playwright.Selectors.RegisterAsync(ScreenQuery.Engine, new SelectorsRegisterOptions { Script = ScreenQuery.Script })
                .WaitAsync(cancellationToken);
            var browser = await ChromiumLocator.LaunchAsync(playwright, options.Headless, options.ExecutablePath, cancellationToken);
            return new WebUiDriver(playwright, browser, options);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<IUiSession> OpenSessionAsync(UiSessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            // The resolution legacy EHRs were designed for, with room to spare, so layouts do not wrap.
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
        }).WaitAsync(cancellationToken);
        try
        {
            if (options.Trace)
            {
                await context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true }).WaitAsync(cancellationToken);
            }
            var page = await context.NewPageAsync().WaitAsync(cancellationToken);
            page.SetDefaultTimeout(Milliseconds(options.DefaultTimeout));
            page.SetDefaultNavigationTimeout(Milliseconds(_options.NavigationTimeout));
            return new WebUiSession(context, page, options, _options.NavigationTimeout);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await _browser.CloseAsync();
        }
        finally
        {
            _playwright.Dispose();
        }
    }

    /// <summary>A Playwright timeout: milliseconds, at least 1 (0 would mean "no timeout").</summary>
    internal static float Milliseconds(TimeSpan timeout) => (float)Math.Max(1, timeout.TotalMilliseconds);
}
