using RpaWorker.Drivers.Desktop.Display;
using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>The pixel tests share one X display of their own, so they run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PixelCollection : ICollectionFixture<PixelFixture>
{
    public const string Name = "pixel screens";
}

/// <summary>
/// The mock EHR (12 generated patients) on a free loopback port, an Xvfb display of the pixel tests' own, and one pixel
/// driver on it, with a review folder of its own and the shapes of the banner's record number and birth date. It also
/// keeps one Chromium window logged in with <see cref="Chart"/> open, made the first time a test asks for it.
/// The display is not the one the test run was given: the desktop tests' windows open there, in parallel, and one
/// opening over a Chromium window would hide it from the screen reads and take the clicks and keys meant for it.
/// </summary>
public sealed class PixelFixture : IAsyncLifetime
{
    public static readonly TimeSpan Wait = PixelFlows.Wait;

    private RunningMockEhr? _ehr;
    private DesktopEnvironment? _screen;
    private PixelUiDriver? _driver;
    private ChromiumApp? _chartApp;
    private IUiSession? _chartSession;

    public LegacyStore Store { get; } = LegacyStore.InMemory();

    public PixelUiDriver Driver => _driver ?? throw new InvalidOperationException("The fixture has not started.");

    public string ReviewFolder { get; } = Path.Combine(Path.GetTempPath(), "rpa-pixel-review-" + Guid.NewGuid().ToString("N"));

    /// <summary>The patient whose chart the tests read (see <see cref="PixelFlows.PickChart"/>).</summary>
    public LegacyChart Chart { get; private set; } = null!;

    /// <summary>The fixture's X display (e.g. <c>:7</c>): open the windows the tests read there.</summary>
    public string Display => _screen?.Display ?? throw new InvalidOperationException("The fixture has not started.");

    public Uri Url(string path) => new(_ehr!.BaseAddress, path);

    public static PixelDriverOptions Options(string reviewFolder, string? display = null) => new()
    {
        Display = display,
        ReviewFolder = reviewFolder,
        FieldPatterns = new Dictionary<string, string> { ["MRN"] = "[0-9]{6,10}", ["DOB"] = @"\d{2}/\d{2}/\d{4}" },
    };

    public async Task InitializeAsync()
    {
        _screen = await DesktopEnvironment.StartDisplayAsync(CancellationToken.None);
        foreach (var generated in ChartGenerator.Generate(12, 1))
        {
            Store.AddChart(generated);
        }
        Chart = PixelFlows.PickChart(Store);
        _ehr = await MockEhrServer.StartAsync(Store, new MockEhrOptions());
        _driver = PixelUiDriver.ConnectX11(Options(ReviewFolder, Display));
    }

    /// <summary>A session on a window that is logged in and shows <see cref="Chart"/> (on whichever tab a test left it).</summary>
    public async Task<IUiSession> ChartSessionAsync()
    {
        if (_chartSession is not null)
        {
            return _chartSession;
        }
        _chartApp = await ChromiumApp.LaunchAsync(Url("login"), "Login", Display);
        var session = await Driver.OpenSessionAsync(new UiSessionOptions(), CancellationToken.None);
        await PixelFlows.LoginAsync(session, _chartApp.Address);
        await PixelFlows.OpenChartAsync(session, Chart.Patient);
        _chartSession = session;
        return session;
    }

    public async Task DisposeAsync()
    {
        if (_chartSession is not null)
        {
            await _chartSession.DisposeAsync();
        }
        if (_chartApp is not null)
        {
            await _chartApp.DisposeAsync();
        }
        if (_driver is not null)
        {
            await _driver.DisposeAsync();
        }
        if (_ehr is not null)
        {
            await _ehr.DisposeAsync();
        }
        if (_screen is not null)
        {
            await _screen.DisposeAsync();
        }
        Store.Dispose();
        if (Directory.Exists(ReviewFolder))
        {
            Directory.Delete(ReviewFolder, recursive: true);
        }
    }
}
