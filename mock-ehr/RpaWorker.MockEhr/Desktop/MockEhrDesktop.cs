using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Desktop;

namespace RpaWorker.MockEhr;

/// <summary>Starts the desktop version of the mock EHR: a GTK 3 window over the same store as the web app.</summary>
public static class MockEhrDesktop
{
    /// <summary>The application name AT-SPI clients see by default.</summary>
    public const string DefaultAppName = "meddesk";

    /// <summary>
    /// Opens the mock's window on the process's GTK thread (started on first use) over <paramref name="store"/>.
    /// Dispose the result to close it. <paramref name="appName"/> is the program name that AT-SPI clients find
    /// the application by; a process has one, so every window opened in it must use the same.
    /// </summary>
    /// <remarks>
    /// Needs an X display (DISPLAY) and, for AT-SPI clients to see the window, a session bus
    /// (DBUS_SESSION_BUS_ADDRESS) with NO_AT_BRIDGE unset. <paramref name="timeProvider"/> (default the system
    /// clock) gives the date ages are computed at.
    /// </remarks>
    /// <exception cref="MockEhrDesktopException">GTK is missing or cannot open the display.</exception>
    public static async Task<RunningDesktopEhr> StartAsync(LegacyStore store, MockEhrOptions options, string appName = DefaultAppName,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(appName);
        var gtk = await GtkThread.GetAsync(appName).WaitAsync(cancellationToken).ConfigureAwait(false);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = new DesktopEhr(store, options, timeProvider ?? TimeProvider.System, () => closed.TrySetResult());
        await gtk.InvokeAsync(app.Open).ConfigureAwait(false);
        return new RunningDesktopEhr(appName, app, gtk, closed.Task);
    }

    /// <summary>
    /// Why AT-SPI clients would not see the window in this environment, or null when they can: GTK speaks AT-SPI
    /// only with a session bus and without NO_AT_BRIDGE.
    /// </summary>
    public static string? AccessibilityProblem() =>
        Environment.GetEnvironmentVariable("NO_AT_BRIDGE") is { Length: > 0 } v && v != "0"
            ? "NO_AT_BRIDGE is set, so GTK does not expose the window to AT-SPI"
            : string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"))
                ? "DBUS_SESSION_BUS_ADDRESS is not set (no session bus), so AT-SPI clients cannot reach the window; run under dbus-run-session"
                : null;
}

/// <summary>The running desktop mock EHR.</summary>
public sealed class RunningDesktopEhr : IAsyncDisposable
{
    private readonly DesktopEhr _app;
    private readonly GtkThread _gtk;
    private int _disposed;

    internal RunningDesktopEhr(string appName, DesktopEhr app, GtkThread gtk, Task closed)
    {
        AppName = appName;
        _app = app;
        _gtk = gtk;
        Closed = closed;
    }

    /// <summary>The application name AT-SPI clients find it by.</summary>
    public string AppName { get; }

    /// <summary>Completes when the window is closed (by the user or by disposing).</summary>
    public Task Closed { get; }

    /// <summary>The window's title now (it names the screen: Login, Patient Search, the patient).</summary>
    public Task<string> GetTitleAsync() => _gtk.InvokeAsync(() => _app.Title);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _gtk.InvokeAsync(_app.Close).ConfigureAwait(false);
        }
    }
}

/// <summary>The desktop mock cannot run here (GTK missing, no display).</summary>
public sealed class MockEhrDesktopException : RpaWorkerException
{
    /// <summary>Creates the exception.</summary>
    public MockEhrDesktopException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public MockEhrDesktopException(string message, Exception innerException) : base(message, innerException) { }
}
