using Microsoft.Playwright;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Web;

/// <summary>
/// The web driver: one Chromium per driver, one browser context (cookies, storage) per session. Dispose it to close
/// the browser and every session still open.
/// </summary>
/// <remarks>
/// <para>How targets resolve, per <see cref="LocatorKind"/> (only visible elements count):</para>
/// <list type="bullet">
/// <item><description>Role: the accessible role (button, link, tab, textbox, checkbox, combobox, dialog, row, cell,
/// table, heading, any ARIA role; also input/field, select/dropdown) and its accessible name, a case-insensitive
/// substring unless Exact.</description></item>
/// <item><description>Label: a field labelled by a label element or aria-label; when none is, the first field in the
/// cell after the table cell holding the label text (the legacy layout).</description></item>
/// <item><description>Text: the smallest element whose rendered text matches; when it sits in a link or button, that
/// clickable element.</description></item>
/// <item><description>RightOf: the cell after the label's cell in its row; a label outside a table gives the nearest
/// visible element to its right whose vertical span overlaps it.</description></item>
/// <item><description>Below: the cell in the same column of the next row; outside a table, the nearest visible element
/// under the label that overlaps it horizontally.</description></item>
/// <item><description>NearHeading: the first table (or list) after the element with the heading text in document
/// order. A tab with the same words, whose following table is the box holding the real heading, gives way to it.</description></item>
/// <item><description>Css, XPath: Playwright selectors. AccessibilityId, OcrText and Ai are
/// <see cref="UiFailure.Unsupported"/>.</description></item>
/// </list>
/// <para>
/// Text matching for Text, Label, RightOf, Below and NearHeading ranks matches: the same text, then the same text in
/// another case, then (unless Exact) text containing it; only the best rank found is used, so "Search" picks the
/// Search button over a "Patient Search" link. For label-like kinds a trailing colon is optional on either side.
/// </para>
/// <para>
/// Frames: a locator with a Frame looks only inside that iframe. Without one it looks in the top document and, when
/// nothing there matches, in each child frame, since legacy EHRs embed whole sections in iframes.
/// </para>
/// <para>
/// A target's locators are polled in order until one resolves to exactly one element (or has its Index), within one
/// timeout; several matches without an index are reported as <see cref="UiFailure.Ambiguous"/> as soon as no locator
/// resolves, because waiting does not make them fewer. Actions make a one-second trial click first, so an element under
/// a popup overlay or a disabled one is <see cref="UiFailure.Blocked"/> without spending the whole timeout. A native
/// dialog (alert, confirm) stays open until <see cref="IUiSession.AcceptDialogAsync"/>; meanwhile operations answer
/// Blocked at once. An action or navigation whose page answers HTTP 5xx is <see cref="UiFailure.ServerError"/>.
/// </para>
/// </remarks>
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
            // Engines must be registered before the first page exists. An isolated world keeps the queries safe from old
            // page libraries that patch built-ins (Array, JSON) the way Prototype-era scripts did.
            await playwright.Selectors.RegisterAsync(ScreenQuery.Engine, new SelectorsRegisterOptions { Script = ScreenQuery.Script, ContentScript = true })
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
                await context.Tracing.StartAsync(WebUiSession.TraceOptions).WaitAsync(cancellationToken);
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
