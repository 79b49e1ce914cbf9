using System.Diagnostics;

namespace RpaWorker.Drivers.Desktop.Display;

/// <summary>
/// The <c>?exec=COMMAND</c> part of a desktop address (AT-SPI or X11): the command that starts the application when it
/// is not running, and starting and ending it for a session.
/// </summary>
internal static class ApplicationCommand
{
    /// <summary>
    /// Reads the query of an address (the text after '?'): <c>exec=COMMAND</c>, URL-encoded, '+' for a space, split on
    /// spaces (no quoting). Null with <paramref name="error"/> set when the query holds anything else or no command.
    /// </summary>
    public static IReadOnlyList<string>? Parse(string query, string scheme, out string? error) => Parse(query, scheme, [], out error);

    /// <summary>
    /// As <see cref="Parse(string, string, out string?)"/>, letting the parameters named in <paramref name="others"/>
    /// ("size=WIDTHxHEIGHT") through for the caller to read.
    /// </summary>
    public static IReadOnlyList<string>? Parse(string query, string scheme, IReadOnlyList<string> others, out string? error)
    {
        error = null;
        IReadOnlyList<string>? command = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            if (others.Any(o => o.StartsWith(key + "=", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            if (!key.Equals("exec", StringComparison.OrdinalIgnoreCase))
            {
                error = $"unknown {scheme} address parameter '{key}' (known: {string.Join(", ", others.Prepend("exec=COMMAND"))})";
                return null;
            }
            var value = Uri.UnescapeDataString((eq < 0 ? "" : pair[(eq + 1)..]).Replace('+', ' '));
            command = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (command.Count == 0)
            {
                error = $"exec= in the {scheme} address gives no command";
                return null;
            }
        }
        return command;
    }

    /// <summary>
    /// Starts <paramref name="command"/> with <paramref name="environment"/> over this process's own variables and
    /// NO_AT_BRIDGE removed (it would hide the application from accessibility clients).
    /// </summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="environment">Variables to set (DISPLAY, DBUS_SESSION_BUS_ADDRESS of a desktop started for the run).</param>
    /// <param name="unavailable">Makes the driver's exception for a command that cannot start.</param>
    public static Process Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, Func<string, Exception?, Exception> unavailable)
    {
        // The application's console is not the run's: GTK's diagnostics would interleave with the progress and summary.
        var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }
        psi.Environment.Remove("NO_AT_BRIDGE");
        try
        {
            var process = Process.Start(psi) ?? throw unavailable($"'{command[0]}' did not start", null);
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw unavailable($"cannot start '{command[0]}': {ex.Message}", ex);
        }
    }

    /// <summary>Ends a started application and everything it started, if it is still running.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
        process.Dispose();
    }
}
