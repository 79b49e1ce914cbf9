using System.Diagnostics;
using RpaWorker.Drivers.Desktop.Pixel.X11;
using RpaWorker.Drivers.Web;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>
/// A real "remote screen": Debian's Chromium, not headless, in app mode (no tabs or address bar) on the X display,
/// showing one page. Each app has its own profile, so its own cookies. Dispose it to end the browser (by its process id).
/// </summary>
public sealed class ChromiumApp : IAsyncDisposable
{
    /// <summary>The window size the tests and benchmarks use: the legacy 1024 width, tall enough for a 20-row list.</summary>
    public const int Width = 1024;
    public const int Height = 900;

    private readonly Process _process;
    private readonly string _profile;

    private ChromiumApp(Process process, string profile, string windowId)
    {
        _process = process;
        _profile = profile;
        WindowId = windowId;
    }

    /// <summary>The X window id of the app window.</summary>
    public string WindowId { get; }

    /// <summary>The pixel driver's address for this window.</summary>
    public string Address => $"x11:id={WindowId}";

    /// <summary>
    /// Starts Chromium showing <paramref name="url"/> and waits until its window is mapped with a title containing
    /// <paramref name="titleContains"/> (the page has loaded).
    /// </summary>
    /// <param name="url">The page to show.</param>
    /// <param name="titleContains">Part of the window title that says the page has loaded.</param>
    /// <param name="display">The X display to open the window on, e.g. <c>:7</c>; null for DISPLAY.</param>
    /// <param name="cancellationToken">Stops the wait for the window.</param>
    /// <exception cref="InvalidOperationException">No display is given or set, or the window does not appear in time.</exception>
    public static async Task<ChromiumApp> LaunchAsync(Uri url, string titleContains, string? display = null, CancellationToken cancellationToken = default)
    {
        display ??= Environment.GetEnvironmentVariable("DISPLAY");
        if (string.IsNullOrEmpty(display))
        {
            throw new InvalidOperationException("DISPLAY is not set: the pixel tests need an X display. Run them under Xvfb, as test.sh does.");
        }
        using var x11 = X11Display.Open(display);
        var source = new X11ScreenSource(x11);
        var before = (await source.ListWindowsAsync(cancellationToken)).Select(w => w.Id).ToHashSet();
        var profile = Directory.CreateTempSubdirectory("rpa-pixel-chromium-").FullName;
        // A profile that never offers to save the password the tests type: that bubble would cover the page.
        Directory.CreateDirectory(Path.Combine(profile, "Default"));
        await File.WriteAllTextAsync(Path.Combine(profile, "Default", "Preferences"),
            """{"credentials_enable_service":false,"profile":{"password_manager_enabled":false}}""", cancellationToken);
        var start = new ProcessStartInfo(ChromiumLocator.SystemChromiumPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["DISPLAY"] = display;
        foreach (var arg in ChromiumLocator.LaunchArguments)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var arg in new[]
        {
            $"--app={url}", $"--user-data-dir={profile}", $"--window-size={Width},{Height}", "--window-position=0,0",
            // --test-type hides the "unsupported command-line flag" bar that --no-sandbox would put over the page.
            "--test-type", "--force-device-scale-factor=1", "--lang=en-US", "--disable-features=Translate",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{ChromiumLocator.SystemChromiumPath} did not start");
        // Chromium talks a lot on stderr (D-Bus, GPU); drain it so it never blocks on a full pipe.
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                var window = (await source.ListWindowsAsync(cancellationToken)).FirstOrDefault(w =>
                    !before.Contains(w.Id) && w.Bounds.Width >= 200 && w.Title.Contains(titleContains, StringComparison.OrdinalIgnoreCase));
                if (window is not null)
                {
                    return new ChromiumApp(process, profile, window.Id);
                }
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before showing {url}");
                }
                await Task.Delay(200, cancellationToken);
            }
            throw new InvalidOperationException($"Chromium showed no window titled '{titleContains}' within 60 s");
        }
        catch
        {
            await StopAsync(process, profile);
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(_process, _profile));

    private static async Task StopAsync(Process process, string profile)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            process.Dispose();
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A renderer that is still exiting may hold a file for a moment; the temp folder is cleaned up by the OS.
            }
        }
    }
}
