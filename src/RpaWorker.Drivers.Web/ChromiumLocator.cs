using Microsoft.Playwright;

namespace RpaWorker.Drivers.Web;

/// <summary>
/// Finds and starts the Chromium the web driver (and any test that needs a browser) runs: Playwright's own build when
/// it is installed, else the system package.
/// </summary>
public static class ChromiumLocator
{
    /// <summary>Where Debian's chromium package puts the browser.</summary>
    public const string SystemChromiumPath = "/usr/bin/chromium";

    private static readonly string[] SystemCandidates = [SystemChromiumPath, "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private const string InstallHint =
        "install the system package (apt-get install chromium) or Playwright's browser (pwsh bin/playwright.ps1 install chromium), " +
        "or set the web driver's ExecutablePath";

    /// <summary>
    /// Command-line switches for unattended runs: no sandbox (containers), no GPU, and none of the background
    /// traffic (updates, sync, QUIC) a worker has no use for.
    /// </summary>
    public static IReadOnlyList<string> LaunchArguments { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The first system Chromium that exists, or null (Playwright's own build is not looked for).</summary>
    public static string? SystemChromium() => SystemCandidates.FirstOrDefault(File.Exists);

    /// <summary>
    /// The executable to launch: <paramref name="executablePath"/> when given, null when Playwright's own Chromium is
    /// installed (Playwright finds it), else the first system Chromium that exists.
    /// </summary>
    /// <exception cref="BrowserNotFoundException">No browser is installed, or <paramref name="executablePath"/> does not exist.</exception>
    public static string? FindExecutable(IPlaywright playwright, string? executablePath = null)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (executablePath is not null)
        {
            return File.Exists(executablePath)
                ? executablePath
                : throw new BrowserNotFoundException($"The configured Chromium {executablePath} does not exist: {InstallHint}.");
        }
        if (PlaywrightChromiumInstalled(playwright))
        {
            return null;
        }
        return SystemChromium()
            ?? throw new BrowserNotFoundException($"No Chromium found (Playwright's own is not installed and {SystemChromiumPath} is missing): {InstallHint}.");
    }

    /// <summary>
    /// Launches Chromium as <see cref="FindExecutable"/> chooses it, with <see cref="LaunchArguments"/>. When Playwright's
    /// own build is chosen but does not start (headless runs need its separate headless shell), the system Chromium is
    /// tried before giving up.
    /// </summary>
    /// <exception cref="BrowserNotFoundException">No browser is installed, or the one found does not start.</exception>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, bool headless = true, string? executablePath = null,
        CancellationToken cancellationToken = default)
    {
        var path = FindExecutable(playwright, executablePath);
        try
        {
            return await StartAsync(playwright, headless, path, cancellationToken);
        }
        catch (PlaywrightException e) when (path is null && SystemCandidates.FirstOrDefault(File.Exists) is { } system)
        {
            try
            {
                return await StartAsync(playwright, headless, system, cancellationToken);
            }
            catch (PlaywrightException)
            {
                throw new BrowserNotFoundException($"Neither Playwright's Chromium nor {system} started: {InstallHint}.", e);
            }
        }
        catch (PlaywrightException e)
        {
            throw new BrowserNotFoundException($"Chromium ({path ?? "Playwright's own"}) did not start: {InstallHint}.", e);
        }
    }

    private static Task<IBrowser> StartAsync(IPlaywright playwright, bool headless, string? path, CancellationToken cancellationToken) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { Headless = headless, Args = LaunchArguments, ExecutablePath = path })
            .WaitAsync(cancellationToken);

    private static bool PlaywrightChromiumInstalled(IPlaywright playwright)
    {
        try
        {
            return File.Exists(playwright.Chromium.ExecutablePath);
        }
        catch (PlaywrightException)
        {
            // Playwright throws rather than return a path when its browser registry has no entry for this platform.
            return false;
        }
    }
}
