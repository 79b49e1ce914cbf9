using Microsoft.Playwright;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Tests.Web;

/// <summary>A running mock EHR over <see cref="TestCharts"/> and a fresh browser page pointed at it.</summary>
internal sealed class MockEhrDriver : IAsyncDisposable
{
    private readonly LegacyStore _store;
    private readonly RunningMockEhr _server;
    private readonly IBrowserContext _context;

    private MockEhrDriver(LegacyStore store, RunningMockEhr server, IBrowserContext context, IPage page)
    {
        _store = store;
        _server = server;
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    public MockEhrOptions Options { get; private init; } = new();

    public static async Task<MockEhrDriver> StartAsync(BrowserFixture browser, MockEhrOptions? options = null, TimeProvider? time = null)
    {
        options ??= new MockEhrOptions();
        var store = TestCharts.Store();
        var server = await MockEhrServer.StartAsync(store, options, timeProvider: time);
        var context = await browser.Browser.NewContextAsync();
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        return new MockEhrDriver(store, server, context, page) { Options = options };
    }

    public string Url(string path) => new Uri(_server.BaseAddress, path).ToString();

    public Task<IResponse?> GotoAsync(string path) => Page.GotoAsync(Url(path));

    /// <summary>Fills the login form by field type, so it works for either skin.</summary>
    public async Task SubmitLoginAsync(string? password = null)
    {
        await Page.FillAsync("input[type=text]", Options.UserName);
        await Page.FillAsync("input[type=password]", password ?? Options.Password);
        await Page.ClickAsync("input[type=submit]");
    }

    public async Task LoginAsync()
    {
        await GotoAsync("login");
        await SubmitLoginAsync();
    }

    /// <summary>Searches by MRN and opens the chart from the result list, as a user would.</summary>
    public async Task OpenChartAsync(string mrn)
    {
        await GotoAsync("patients");
        await Page.FillAsync("input[type=text] >> nth=1", mrn);
        await Page.ClickAsync("input[type=submit]");
        await Page.ClickAsync("table a[href^='/chart/']");
    }

    /// <summary>The text of the cell right after the label cell <paramref name="label"/>.</summary>
    public Task<string> ValueAfterLabelAsync(string label) =>
        Page.Locator($"td:text-is('{label}') + td").First.InnerTextAsync();

    /// <summary>Data rows (not the header) of the first grid on the page, cells trimmed.</summary>
    public static async Task<IReadOnlyList<string[]>> GridRowsAsync(IPage page) => await page.EvaluateAsync<string[][]>("""
        () => {
          const t = [...document.querySelectorAll('table')].find(x => x.rows.length && x.rows[0].cells.length && x.rows[0].cells[0].tagName === 'TH');
          if (!t) return [];
          return [...t.rows].slice(1).map(r => [...r.cells].map(c => c.innerText.trim()));
        }
        """);

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _server.DisposeAsync();
        _store.Dispose();
    }
}
