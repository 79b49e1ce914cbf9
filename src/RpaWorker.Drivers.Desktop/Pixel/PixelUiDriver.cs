using RpaWorker.Drivers.Desktop.Pixel.X11;
using RpaWorker.Ui;
using RpaWorker.Vision.Ocr;
using RpaWorker.Vision.Ocr.Tesseract;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// The pixel driver (playbook <c>driver: pixel</c>): for screens seen only as images, such as a Citrix or RDP client
/// window. It captures the window, reads it with OCR (Tesseract), acts with synthetic mouse and keyboard input, and
/// checks the screen after every action.
/// </summary>
/// <remarks>
/// <para><b>Choosing the window.</b> <see cref="IUiSession.NavigateAsync"/> selects the window to drive; it does not
/// start anything. The address is <c>x11:window=TEXT</c> (or <c>window=TEXT</c>, or just TEXT): the window whose title
/// is TEXT, else the one whose title contains it (case-insensitive); or <c>x11:id=0x…</c> by X window id. It waits for
/// the window to appear, raises it and gives it the keyboard. <see cref="IUiSession.Location"/> is that address, not
/// the title (titles can show patient names), so navigating to it again re-selects the same window.</para>
/// <para><b>Targets.</b> Text and OcrText match words on the screen; Label finds the input box right of (else under)
/// the label; RightOf and Below read the value next to or under a label, using the ruled lines of legacy tables to tell
/// an empty cell from the next one; NearHeading (tables) finds the table under a heading; Role matches its name as text
/// (field roles such as textbox behave like Label). CSS, XPath, accessibility ids and AI descriptions are
/// <see cref="UiFailure.Unsupported"/>. Matching ranks the same text over other case over containing text over an OCR
/// slip of a character or two (never when Exact); a trailing colon is optional for labels. Targets are looked for
/// until the timeout, re-reading the screen whenever it changes.</para>
/// <para><b>Actions are checked.</b> A click must change the window (else <see cref="UiFailure.Blocked"/>), typing
/// must change the field, and every action waits until the window stops changing (a blinking text cursor does not
/// count).</para>
/// <para><b>Values are checked.</b> Every value and table cell is read again from its own crop at 3x (and at 4x when
/// those two differ) and the text two readings agree on is used, with OCR's confidence (its weakest word). A value
/// whose readings do not agree, below <see cref="PixelDriverOptions.MinConfidence"/>, not matching its field's pattern
/// (<see cref="PixelDriverOptions.FieldPatterns"/> or the check given to <see cref="IUiSession.ReadCheckedAsync"/>),
/// or drawn but unreadable is held for review: ReadCheckedAsync returns it with a review note and the path of its
/// picture, ReadCheckedTableAsync lists the doubtful cells, and ReadTextAsync and ReadTableAsync return
/// <see cref="UiFailure.Unverified"/>. Pictures go only to <see cref="PixelDriverOptions.ReviewFolder"/>.</para>
/// <para><b>One session at a time per display.</b> Synthetic input goes to the window under the pointer or with the
/// keyboard, so sessions of one driver take turns for each action and re-activate their window when another acted in
/// between. Native dialogs cannot be told from the page: click their buttons by text
/// (<see cref="IUiSession.AcceptDialogAsync"/> is Unsupported). Sessions record no traces.</para>
/// <para><b>OCR threads.</b> Start the process with <c>OMP_THREAD_LIMIT=1</c>; <see cref="Warnings"/> says when it
/// is missing.</para>
/// </remarks>
public sealed class PixelUiDriver : IUiDriver
{
    private readonly IDisposable? _connection;
    private int _disposed;

    /// <summary>A driver over any screen source and input sink (a remote-desktop client, a recorded screen).</summary>
    public PixelUiDriver(IScreenSource source, IInputSink input, ITextRecognizer ocr, PixelDriverOptions options)
        : this(source, input, ocr, options, null)
    {
    }

    private PixelUiDriver(IScreenSource source, IInputSink input, ITextRecognizer ocr, PixelDriverOptions options, IDisposable? connection)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(ocr);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinConfidence is < 0 or > 1)
        {
            throw new ArgumentException($"MinConfidence must be between 0 and 1, not {options.MinConfidence}", nameof(options));
        }
        Source = source;
        Input = input;
        Ocr = ocr;
        Options = options;
        _connection = connection;
        Warnings = TesseractOcr.ThreadLimitWarning is { } warning ? [warning] : [];
    }

    /// <summary>
    /// Connects to the X display (<see cref="PixelDriverOptions.Display"/>, else DISPLAY) and uses the process-wide
    /// Tesseract engines. Nothing is captured or loaded until a session needs it.
    /// </summary>
    /// <exception cref="DisplayUnavailableException">No display is set, it does not answer, or it lacks XTest.</exception>
    public static PixelUiDriver ConnectX11(PixelDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var display = X11Display.Open(options.Display);
        return new PixelUiDriver(new X11ScreenSource(display), new XTestInputSink(display), TesseractOcr.Shared(options.Ocr), options, display);
    }

    /// <inheritdoc />
    public string Kind => "pixel";

    /// <summary>Problems with the environment that do not stop the driver but should be logged (OMP_THREAD_LIMIT).</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal IScreenSource Source { get; }

    internal IInputSink Input { get; }

    internal ITextRecognizer Ocr { get; }

    internal PixelDriverOptions Options { get; }

    /// <summary>Taken for each action so sessions' input never interleaves.</summary>
    internal SemaphoreSlim InputGate { get; } = new(1, 1);

    /// <summary>The window the last action went to (guarded by <see cref="InputGate"/>).</summary>
    internal string? ActiveWindowId { get; set; }

    /// <inheritdoc />
    public Task<IUiSession> OpenSessionAsync(UiSessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IUiSession>(new PixelUiSession(this, options));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _connection?.Dispose();
            InputGate.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
