using System.Diagnostics;
using System.Text;
using RpaWorker.Drivers.Desktop.AtSpi;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Tests.AtSpi;

/// <summary>
/// Runs the desktop mock EHR (<c>rpa mock-ehr desktop</c>, a child process with its own GTK) under the X display
/// and session bus the test run provides, with an AT-SPI session attached to it, and the same records in a store
/// of the test's own to compare what is read with.
/// </summary>
public abstract class DesktopEhrFixture : IAsyncLifetime
{
    public const string Data = "generated:12:7";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private Process? _process;
    private readonly StringBuilder _output = new();
    private AtSpiUiDriver? _driver;
    private IUiSession? _session;
    private LegacyStore? _store;

    protected abstract MockEhrSkin Skin { get; }

    public string AppName { get; } = "meddesk-test-" + Guid.NewGuid().ToString("N")[..8];

    public IUiSession Session => _session ?? throw new InvalidOperationException("The fixture has not started.");

    public LegacyStore Store => _store ?? throw new InvalidOperationException("The fixture has not started.");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        foreach (var variable in new[] { "DISPLAY", "DBUS_SESSION_BUS_ADDRESS" })
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            {
                throw new InvalidOperationException(
                    $"{variable} is not set: desktop tests need an X server and a session bus " +
                    "(run them through ./test.sh, or xvfb-run -a dbus-run-session -- dotnet test ...).");
            }
        }
        _store = LegacyStore.InMemory();
        MockEhrDataSpec.TryParse(Data, out _)!.LoadInto(_store);

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "rpa.dll"), "mock-ehr", "desktop", "--data", Data,
                     "--skin", Skin.ToString().ToLowerInvariant(), "--app-name", AppName })
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment.Remove("NO_AT_BRIDGE");
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        _driver = new AtSpiUiDriver();
        _session = await _driver.OpenSessionAsync(new UiSessionOptions(), CancellationToken.None);
        var attached = await _session.NavigateAsync($"atspi://{AppName}", StartTimeout, CancellationToken.None);
        if (!attached.Ok)
        {
            throw new InvalidOperationException($"The desktop mock did not come up: {attached.Reason}\n{Output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
        if (_driver is not null)
        {
            await _driver.DisposeAsync();
        }
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
        _store?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

/// <summary>The desktop mock with the v1 layout.</summary>
public sealed class DesktopEhrV1Fixture : DesktopEhrFixture
{
    protected override MockEhrSkin Skin => MockEhrSkin.V1;
}

/// <summary>The desktop mock with the v2 "vendor upgrade" layout.</summary>
public sealed class DesktopEhrV2Fixture : DesktopEhrFixture
{
    protected override MockEhrSkin Skin => MockEhrSkin.V2;
}
