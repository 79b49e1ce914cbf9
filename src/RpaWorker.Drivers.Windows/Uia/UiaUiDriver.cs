using RpaWorker.Ui;

namespace RpaWorker.Drivers.Windows.Uia;

/// <summary>
/// Drives Windows desktop applications through UI Automation (playbook <c>driver: uia</c>). Sessions go to an
/// application with <see cref="IUiSession.NavigateAsync"/> and an address <c>uia://PROCESS</c> (attach to the windows
/// of the running process, name without <c>.exe</c>), <c>uia://PROCESS?title=TEXT</c> (the process whose window title
/// contains TEXT) or <c>uia://PROCESS?exec=COMMAND</c> (start it when no window is open). Needs Windows and an
/// interactive desktop: UI Automation reads windows a person could see.
/// </summary>
public sealed class UiaUiDriver : IUiDriver
{
    private readonly TimeProvider _time;
    private readonly Func<IUiaBackend> _createBackend;
    private readonly Lock _gate = new();
    private IUiaBackend? _backend;

    /// <summary>Creates the driver; it starts the UI Automation client when the first session opens.</summary>
    /// <param name="timeProvider">Clock for waits and timeouts; default the system clock.</param>
    public UiaUiDriver(TimeProvider? timeProvider = null) : this(CreateComBackend, timeProvider)
    {
    }

    internal UiaUiDriver(Func<IUiaBackend> createBackend, TimeProvider? timeProvider = null)
    {
        _createBackend = createBackend;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Kind => "uia";

    /// <inheritdoc />
    /// <exception cref="UiaUnavailableException">This is not Windows, or the UI Automation client did not start.</exception>
    public Task<IUiSession> OpenSessionAsync(UiSessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            _backend ??= _createBackend();
        }
        return Task.FromResult<IUiSession>(new UiaUiSession(_backend, _time));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _backend?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IUiaBackend CreateComBackend() => OperatingSystem.IsWindows()
        ? ComUiaBackend.Create()
        : throw new UiaUnavailableException("the UI Automation driver (driver: uia) runs on Windows only; on Linux use atspi or pixel");
}
