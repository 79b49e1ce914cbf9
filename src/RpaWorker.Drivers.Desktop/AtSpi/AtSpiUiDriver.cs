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
    private readonly AtSpiDriverOptions _options;
    private readonly SemaphoreSlim _connect = new(1, 1);
    private AtSpiBus? _bus;

    /// <summary>Creates the driver on this process's session bus; it connects when the first session opens.</summary>
    /// <param name="timeProvider">Clock for waits and timeouts; default the system clock.</param>
    public AtSpiUiDriver(TimeProvider? timeProvider = null) : this(new AtSpiDriverOptions(), timeProvider)
    {
    }

    /// <summary>Creates the driver with <paramref name="options"/>; it connects when the first session opens.</summary>
    /// <param name="options">Which session bus, and what applications the sessions start get in their environment.</param>
    /// <param name="timeProvider">Clock for waits and timeouts; default the system clock.</param>
    public AtSpiUiDriver(AtSpiDriverOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

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
            _bus ??= await AtSpiBus.ConnectAsync(_options.SessionBusAddress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connect.Release();
        }
        return new AtSpiUiSession(_bus, _time, _options.ApplicationEnvironment);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _bus?.Dispose();
        _connect.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Where the AT-SPI driver finds the desktop.</summary>
public sealed record AtSpiDriverOptions
{
    /// <summary>The D-Bus session bus whose accessibility bus to use. Default null: DBUS_SESSION_BUS_ADDRESS.</summary>
    public string? SessionBusAddress { get; init; }

    /// <summary>
    /// Variables set for applications that sessions start (<c>atspi://NAME?exec=…</c>), over this process's own:
    /// DISPLAY and DBUS_SESSION_BUS_ADDRESS of a desktop started for the run. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApplicationEnvironment { get; init; } = new Dictionary<string, string>();
}
