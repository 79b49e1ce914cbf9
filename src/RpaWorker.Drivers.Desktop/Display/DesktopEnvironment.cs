using System.Diagnostics;
using System.Globalization;

namespace RpaWorker.Drivers.Desktop.Display;

/// <summary>
/// The X display and the D-Bus session bus that desktop drivers work in. <see cref="UseOrStartAsync"/> takes the
/// ones this process was given (DISPLAY, DBUS_SESSION_BUS_ADDRESS) and starts what is missing: an Xvfb server on a
/// display number the server picks itself (so two runs never race for one), and a session bus (dbus-daemon) on which
/// AT-SPI's accessibility bus starts on demand. Disposing stops only what was started here. The process's own
/// environment is not changed: drivers and the applications they start are handed <see cref="Variables"/>.
/// </summary>
public sealed class DesktopEnvironment : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<Process> _started = [];

    /// <summary>The X display, e.g. <c>:0</c>.</summary>
    public string Display { get; private set; } = "";

    /// <summary>The session bus address, e.g. <c>unix:path=/tmp/dbus-…</c>.</summary>
    public string SessionBusAddress { get; private set; } = "";

    /// <summary>True when this object started the X server (Xvfb): no application that was already running is on it.</summary>
    public bool StartedDisplay { get; private set; }

    /// <summary>True when this object started the session bus: no application that was already running is on it.</summary>
    public bool StartedSessionBus { get; private set; }

    /// <summary>What an application started in this environment needs in its environment.</summary>
    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DISPLAY"] = Display,
        ["DBUS_SESSION_BUS_ADDRESS"] = SessionBusAddress,
    };

    /// <summary>
    /// The display and session bus in this process's environment, starting Xvfb when DISPLAY is not set and a session
    /// bus when DBUS_SESSION_BUS_ADDRESS is not.
    /// </summary>
    /// <exception cref="DesktopEnvironmentException">Xvfb or dbus-daemon is missing or did not start.</exception>
    public static Task<DesktopEnvironment> UseOrStartAsync(CancellationToken cancellationToken) =>
        StartMissingAsync(Environment.GetEnvironmentVariable("DISPLAY") ?? "", cancellationToken);

    /// <summary>
    /// A new Xvfb display of its own, whatever DISPLAY says, with the session bus in this process's environment (or a
    /// new one when there is none). For work that must not share a screen: on a shared display, another program's window
    /// can open over the one being read and take its clicks and keys.
    /// </summary>
    /// <exception cref="DesktopEnvironmentException">Xvfb or dbus-daemon is missing or did not start.</exception>
    public static Task<DesktopEnvironment> StartDisplayAsync(CancellationToken cancellationToken) =>
        StartMissingAsync("", cancellationToken);

    private static async Task<DesktopEnvironment> StartMissingAsync(string display, CancellationToken cancellationToken)
    {
        var environment = new DesktopEnvironment
        {
            Display = display,
            SessionBusAddress = Environment.GetEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS") ?? "",
        };
        try
        {
            if (environment.Display.Length == 0)
            {
                // -displayfd: Xvfb takes the first free display number and writes it once it accepts connections.
                var (xvfb, number) = await StartAsync("Xvfb", ["-displayfd", "1", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                    null, "apt-get install xvfb", cancellationToken).ConfigureAwait(false);
                environment._started.Add(xvfb);
                if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    throw new DesktopEnvironmentException($"Xvfb did not report a display number (it printed '{number}')");
                }
                environment.Display = ":" + number;
                environment.StartedDisplay = true;
            }
            if (environment.SessionBusAddress.Length == 0)
            {
                // The accessibility bus launcher is started by the bus on first use and needs the display.
                var (daemon, address) = await StartAsync("dbus-daemon", ["--session", "--nofork", "--print-address=1"],
                    new Dictionary<string, string>(StringComparer.Ordinal) { ["DISPLAY"] = environment.Display }, "apt-get install dbus",
                    cancellationToken).ConfigureAwait(false);
                environment._started.Add(daemon);
                if (!address.StartsWith("unix:", StringComparison.Ordinal))
                {
                    throw new DesktopEnvironmentException("dbus-daemon did not print a bus address");
                }
                environment.SessionBusAddress = address;
                environment.StartedSessionBus = true;
            }
            return environment;
        }
        catch
        {
            await environment.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a server and returns it with the first line it prints on standard output (its address).</summary>
    private static async Task<(Process Process, string FirstLine)> StartAsync(string program, string[] arguments,
        IReadOnlyDictionary<string, string>? variables, string install, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new DesktopEnvironmentException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new DesktopEnvironmentException($"cannot start {program} ({install}): {ex.Message}", ex);
        }
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                // Kept for the message when the server fails; bounded, since a server runs for the whole run.
                if (e.Data is not null && errors.Length < 4000)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            if (line is null)
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                string said;
                lock (errors)
                {
                    said = errors.ToString().Trim();
                }
                throw new DesktopEnvironmentException($"{program} exited with code {process.ExitCode} before it was ready: {said}");
            }
            return (process, line.Trim());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Stop(process);
            throw new DesktopEnvironmentException($"{program} was not ready within {StartTimeout.TotalSeconds:0} s");
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>
    /// Asks the server to end (SIGTERM: Xvfb then removes its socket and lock file, so the display number is free
    /// again) and kills it, with what it started, when it does not end within a few seconds.
    /// </summary>
    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                _ = Posix.Kill(process.Id, Posix.SigTerm);
                if (!process.WaitForExit(5000))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
        process.Dispose();
    }

    /// <summary>Stops the session bus and the X server that were started here, the bus first (its clients need the display).</summary>
    public ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            Stop(_started[i]);
        }
        _started.Clear();
        return ValueTask.CompletedTask;
    }
}

internal static partial class Posix
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}

/// <summary>The desktop environment (X server, session bus) cannot be used or started.</summary>
public sealed class DesktopEnvironmentException : RpaWorkerException
{
    /// <summary>Creates the exception.</summary>
    public DesktopEnvironmentException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public DesktopEnvironmentException(string message, Exception innerException) : base(message, innerException) { }
}
