using RpaWorker.Drivers.Desktop.AtSpi;
using RpaWorker.Drivers.Desktop.Display;
using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Web;
using RpaWorker.Drivers.Windows.Uia;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Host.Extraction;

/// <summary>
/// The <see cref="IUiDriver"/> a playbook's <c>driver:</c> asks for, with what it needs around it: a browser for
/// web playbooks; for desktop playbooks an X display and a session bus (those of this process, or an Xvfb and a
/// dbus-daemon started for the driver and stopped when it is disposed).
/// </summary>
public static class DriverFactory
{
    /// <summary>The driver kinds this build runs here: UI Automation only on Windows.</summary>
    public static IReadOnlyList<DriverKind> Available { get; } =
        OperatingSystem.IsWindows() ? [DriverKind.Web, DriverKind.Atspi, DriverKind.Pixel, DriverKind.Uia] : [DriverKind.Web, DriverKind.Atspi, DriverKind.Pixel];

    /// <summary>
    /// How many sessions of the kind can work on one EHR at once: browser sessions are independent; a desktop
    /// application is one window with one signed-in user, so its driver has one session.
    /// </summary>
    public static int MaxSessions(DriverKind kind) => kind == DriverKind.Web ? int.MaxValue : 1;

    /// <summary>Creates (launches) the driver for <paramref name="kind"/>. Dispose it when the run is over.</summary>
    /// <param name="kind">The playbook's driver.</param>
    /// <param name="notice">Told, in words for an operator, what was started for the driver (an X server, a bus).</param>
    /// <param name="cancellationToken">Stops the launch.</param>
    /// <exception cref="RpaWorkerException">The kind is not available here, or what it needs is missing or did not start.</exception>
    public static Task<IUiDriver> CreateAsync(DriverKind kind, Action<string>? notice, CancellationToken cancellationToken) =>
        CreateAsync(kind, new DriverSettings(), notice, cancellationToken);

    /// <summary>Creates (launches) the driver for <paramref name="kind"/> with <paramref name="settings"/>. Dispose it when the run is over.</summary>
    /// <param name="kind">The playbook's driver.</param>
    /// <param name="settings">What the run sets for the driver (where pictures of doubtful values go, field shapes).</param>
    /// <param name="notice">Told, in words for an operator, what was started for the driver (an X server, a bus) and what to fix around it.</param>
    /// <param name="cancellationToken">Stops the launch.</param>
    /// <exception cref="RpaWorkerException">The kind is not available here, or what it needs is missing or did not start.</exception>
    public static async Task<IUiDriver> CreateAsync(DriverKind kind, DriverSettings settings, Action<string>? notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (kind)
        {
            case DriverKind.Web:
                return await WebUiDriver.LaunchAsync(new WebDriverOptions(), cancellationToken);
            case DriverKind.Atspi:
                var desktop = await DesktopEnvironment.UseOrStartAsync(cancellationToken);
                if (desktop.StartedDisplay || desktop.StartedSessionBus)
                {
                    notice?.Invoke(Started(desktop));
                }
                return new DesktopDriver(new AtSpiUiDriver(new AtSpiDriverOptions
                {
                    SessionBusAddress = desktop.SessionBusAddress,
                    ApplicationEnvironment = desktop.Variables,
                }), desktop);
            case DriverKind.Uia when OperatingSystem.IsWindows():
                return new UiaUiDriver();
            case DriverKind.Pixel:
                var screen = await DesktopEnvironment.UseOrStartAsync(cancellationToken);
                if (screen.StartedDisplay || screen.StartedSessionBus)
                {
                    notice?.Invoke(Started(screen));
                }
                PixelUiDriver pixel;
                try
                {
                    pixel = PixelUiDriver.ConnectX11(new PixelDriverOptions
                    {
                        Display = screen.Display,
                        ApplicationEnvironment = screen.Variables,
                        ReviewFolder = settings.ReviewFolder,
                        FieldPatterns = settings.FieldPatterns,
                    });
                }
                catch
                {
                    await screen.DisposeAsync();
                    throw;
                }
                foreach (var warning in pixel.Warnings)
                {
                    notice?.Invoke("warning: " + warning);
                }
                return new DesktopDriver(pixel, screen);
            default:
                throw new DriverUnavailableException($"driver '{Keyword(kind)}' is not available in this build; " +
                                                     $"these are: {string.Join(", ", Available.Select(Keyword))}");
        }
    }

    /// <summary>The playbook keyword of a driver kind.</summary>
    public static string Keyword(DriverKind kind) => PlaybookNames.Drivers.First(d => d.Value == kind).Key;

    private static string Started(DesktopEnvironment desktop)
    {
        var what = desktop.StartedDisplay && desktop.StartedSessionBus ? $"an X display ({desktop.Display}, Xvfb) and a session bus"
            : desktop.StartedDisplay ? $"an X display ({desktop.Display}, Xvfb)"
            : "a session bus";
        return $"Started {what} for this run (none was set): only applications the playbook starts " +
               "(atspi://NAME?exec=COMMAND, x11://TITLE?exec=COMMAND) are on it; to reach one that is already running, run with its DISPLAY and DBUS_SESSION_BUS_ADDRESS";
    }

    /// <summary>A desktop driver that owns the display and bus it works in, and stops them after itself.</summary>
    private sealed class DesktopDriver(IUiDriver inner, DesktopEnvironment desktop) : IUiDriver
    {
        public string Kind => inner.Kind;

        public Task<IUiSession> OpenSessionAsync(UiSessionOptions options, CancellationToken cancellationToken) =>
            inner.OpenSessionAsync(options, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await desktop.DisposeAsync();
        }
    }
}

/// <summary>What a run sets for its driver besides the kind. Drivers use what applies to them.</summary>
public sealed record DriverSettings
{
    /// <summary>
    /// Where the pixel driver keeps pictures of values it holds for review (PNG; they show PHI, so beside the run's
    /// output and quarantine). Default null: none are kept.
    /// </summary>
    public string? ReviewFolder { get; init; }

    /// <summary>
    /// The shapes of fields the pixel driver reads by their label: label text to a regular expression the whole value
    /// must match (e.g. "MRN" to <c>[0-9]{6,10}</c>); a value that does not match is held for review. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> FieldPatterns { get; init; } = new Dictionary<string, string>();
}

/// <summary>A playbook asks for a driver this build does not have.</summary>
public sealed class DriverUnavailableException : RpaWorkerException
{
    /// <summary>Creates the exception.</summary>
    public DriverUnavailableException(string message) : base(message) { }
}
