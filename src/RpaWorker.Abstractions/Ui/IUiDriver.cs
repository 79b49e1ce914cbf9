namespace RpaWorker.Ui;

/// <summary>
/// A way of driving screens: web pages, desktop windows or pixels. One driver per process (it owns the browser
/// or the display connection); one <see cref="IUiSession"/> per concurrent login.
/// </summary>
public interface IUiDriver : IAsyncDisposable
{
    /// <summary>The playbook driver keyword this driver serves (web, atspi, pixel, uia).</summary>
    string Kind { get; }

    /// <summary>Opens an isolated session (a browser context, an application instance).</summary>
    Task<IUiSession> OpenSessionAsync(UiSessionOptions options, CancellationToken cancellationToken);
}

/// <summary>Options for a session.</summary>
public sealed record UiSessionOptions
{
    /// <summary>How long an operation waits for its target by default. Default 10 seconds.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Record a trace that <see cref="IUiSession.SaveTraceAsync"/> can save in parts. Traces hold PHI. Default false.</summary>
    public bool Trace { get; init; }
}

/// <summary>
/// One session on a screen. Operations wait for their target up to the given timeout (auto-wait: never a fixed
/// sleep) and return failures as values. Exceptions mean a broken environment (browser gone, bug).
/// Reasons never contain what the screen shows.
/// </summary>
public interface IUiSession : IAsyncDisposable
{
    /// <summary>Where the session is: the page address (web), or the window title (desktop).</summary>
    string Location { get; }

    /// <summary>The native dialog that is open, or null. The session holds it open until it is accepted.</summary>
    UiDialog? OpenDialog { get; }

    /// <summary>Goes to an address (web) or starts/activates the application (desktop).</summary>
    Task<UiResult<Done>> NavigateAsync(string address, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Clicks or invokes the target.</summary>
    Task<UiResult<Done>> ClickAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Replaces the target field's text.</summary>
    Task<UiResult<Done>> FillAsync(UiTarget target, string value, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Chooses an option (list, combo box, tab) by its text.</summary>
    Task<UiResult<Done>> SelectAsync(UiTarget target, string option, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Presses a key (Enter, Tab, Escape, ...), on the target when given.</summary>
    Task<UiResult<Done>> PressAsync(string key, UiTarget? target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Reads the target's visible text, whitespace-folded and trimmed (an input's value for fields).</summary>
    Task<UiResult<string>> ReadTextAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the target's text like <see cref="ReadTextAsync"/> and says how far it can be trusted: the driver's
    /// confidence, and a review note when the value is doubtful or does not match <paramref name="check"/>. A doubtful
    /// value is still a success here, so the caller can hold it for a person instead of publishing it.
    /// </summary>
    /// <remarks>
    /// Drivers that read text exactly (the DOM, an accessibility tree) report confidence 1 and review only a value that
    /// fails <see cref="UiValueCheck.Pattern"/>; that is what this default does. Drivers that recognise pixels override it.
    /// </remarks>
    async Task<UiResult<UiReading>> ReadCheckedAsync(UiTarget target, UiValueCheck check, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var text = await ReadTextAsync(target, timeout, cancellationToken);
        if (!text.Ok)
        {
            return text.As<UiReading>();
        }
        var value = text.Value ?? "";
        return UiResult<UiReading>.Success(new UiReading
        {
            Text = value,
            Confidence = 1,
            Review = check.Matches(value) ? null : $"{check.Describe(target)} does not have the expected shape",
        }, text.Locator);
    }

    /// <summary>Reads the target table (or the table inside the target).</summary>
    Task<UiResult<UiTable>> ReadTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the target table like <see cref="ReadTableAsync"/> and says which cells cannot be trusted as read, so the
    /// caller can hold just the records they belong to for a person. The default (for drivers that read text exactly)
    /// doubts no cell.
    /// </summary>
    async Task<UiResult<UiCheckedTable>> ReadCheckedTableAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var table = await ReadTableAsync(target, timeout, cancellationToken);
        return table.Ok ? UiResult<UiCheckedTable>.Success(new UiCheckedTable(table.Value!, []), table.Locator) : table.As<UiCheckedTable>();
    }

    /// <summary>
    /// The fingerprint of the element the target resolves to now (no waiting), or null when it does not resolve or the
    /// driver takes no fingerprints (the default). Self-healing keeps it to find the element again after the screen
    /// changes.
    /// </summary>
    Task<UiFingerprint?> FingerprintAsync(UiTarget target, CancellationToken cancellationToken) => Task.FromResult<UiFingerprint?>(null);

    /// <summary>
    /// The elements of <paramref name="kind"/> on the screen now, each with its fingerprint and a locator that finds it,
    /// written like <paramref name="like"/> where the driver can (a <c>right_of</c> label for a value that was found by
    /// one). Empty when the driver lists no candidates (the default).
    /// </summary>
    Task<IReadOnlyList<UiCandidate>> CandidatesAsync(UiElementKind kind, UiLocator like, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UiCandidate>>([]);

    /// <summary>Whether the target resolves and is visible now (no waiting).</summary>
    Task<bool> IsVisibleAsync(UiTarget target, CancellationToken cancellationToken);

    /// <summary>Whether the screen (any frame) shows the text now, case-insensitively (no waiting).</summary>
    Task<bool> ShowsTextAsync(string text, CancellationToken cancellationToken);

    /// <summary>Accepts (OK) the open native dialog.</summary>
    Task<UiResult<Done>> AcceptDialogAsync(CancellationToken cancellationToken);

    /// <summary>A PNG of the screen. It shows PHI: store it only where configured.</summary>
    Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A PNG of one element as the screen shows it (a scanned document's picture), for OCR. It shows PHI: never store
    /// it unless configured. Drivers that cannot capture one element answer <see cref="UiFailure.Unsupported"/>.
    /// </summary>
    Task<UiResult<byte[]>> CaptureAsync(UiTarget target, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(UiResult<byte[]>.Fail(UiFailure.Unsupported, $"{target.Description}: this driver cannot capture one element's picture"));

    /// <summary>
    /// Ends the trace part recorded since the session opened or since the last call, saves it to <paramref name="path"/>
    /// (or discards it when null), and goes on recording the next part. A run calls it after each work item, so a
    /// failed patient gets a trace of its own. Does nothing when the session records no trace (see
    /// <see cref="UiSessionOptions.Trace"/>) or the driver has no traces.
    /// </summary>
    Task SaveTraceAsync(string? path, CancellationToken cancellationToken);
}
