using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.AtSpi;

/// <summary>
/// Drives Linux desktop applications through the AT-SPI accessibility tree (playbook <c>driver: atspi</c>).
/// Sessions go to an application with <see cref="IUiSession.NavigateAsync"/> and an address
/// <c>atspi://APP-NAME</c> (attach) or <c>atspi://APP-NAME?exec=COMMAND</c> (start it when it is not running).
/// Needs a session bus (DBUS_SESSION_BUS_ADDRESS) with at-spi2-core; the applications need NO_AT_BRIDGE unset.
/// </summary>
public sealed class AtSpiUiDriver : IUiDriver
{
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connect = new(1, 1);
    private AtSpiBus? _bus;

    /// <summary>Creates the driver; it connects to the accessibility bus when the first session opens.</summary>
    /// <param name="timeProvider">Clock for waits and timeouts; default the system clock.</param>
    public AtSpiUiDriver(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public string Kind => "atspi";

    /// <inheritdoc />
    /// <exception cref="AtSpiUnavailableException">There is no session bus or no accessibility bus on it.</exception>
    public async Task<IUiSession> OpenSessionAsync(UiSessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await _connect.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _bus ??= await AtSpiBus.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connect.Release();
        }
        return new AtSpiUiSession(_bus, _time);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _bus?.Dispose();
        _connect.Dispose();
        return ValueTask.CompletedTask;
    }
}
