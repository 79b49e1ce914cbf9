namespace RpaWorker.Drivers.Web;

/// <summary>How the web driver starts its browser.</summary>
public sealed record WebDriverOptions
{
    /// <summary>
    /// The Chromium executable to run. Default null: Playwright's own Chromium when it is installed, else the system
    /// Chromium (see <see cref="ChromiumLocator"/>).
    /// </summary>
    public string? ExecutablePath { get; init; }

    /// <summary>Run without a window. Default true.</summary>
    public bool Headless { get; init; } = true;

    /// <summary>
    /// How long a navigation that an action starts (a link, a form post) may take to load before the action reports
    /// <see cref="Ui.UiFailure.Timeout"/>; <see cref="Ui.IUiSession.NavigateAsync"/> takes its own timeout. Default 30 seconds.
    /// </summary>
    public TimeSpan NavigationTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
