using RpaWorker.Vision.Ocr.Tesseract;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>How the pixel driver sees, reads and waits. Defaults suit the bundled mock EHR under Xvfb.</summary>
public sealed record PixelDriverOptions
{
    /// <summary>The X display to connect to, e.g. ":99". Default null: the DISPLAY environment variable.</summary>
    public string? Display { get; init; }

    /// <summary>Where the OCR model is and how many engines may run. Default: Debian's English model, one engine per core.</summary>
    public TesseractOptions Ocr { get; init; } = new();

    /// <summary>
    /// The lowest OCR confidence (0 to 1, the weakest word of a value) at which a value is used without review.
    /// Default 0.75, measured on the mock EHR's screens (docs/benchmarks.md, Pixel driver).
    /// </summary>
    public double MinConfidence { get; init; } = 0.75;

    /// <summary>
    /// The shapes of fields found by their label (RightOf, Below, Label locators): label text (a trailing colon is
    /// ignored, case is not) to a regular expression the whole value must match, e.g. "MRN" to <c>[0-9]{6,10}</c>.
    /// A value that does not match is held for review. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string> FieldPatterns { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where pictures of values held for review are written (PNG; they show PHI). Default null: none are written, and
    /// review notes say so. The folder is created when needed.
    /// </summary>
    public string? ReviewFolder { get; init; }

    /// <summary>
    /// Confirm each value and table cell by reading it again on its own, enlarged 3x (and, when the two differ, a third
    /// time at 4x): the text two readings agree on is used; when none agree, the value is held for review. Default true:
    /// it costs a small OCR per value and catches confident misreads (a dropped decimal point) that confidence alone
    /// does not.
    /// </summary>
    public bool RereadValues { get; init; } = true;

    /// <summary>How often the window is captured while waiting for a target or for the screen to settle. Default 100 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the window must stay unchanged after an action to count as settled. Default 300 ms.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Changes no larger than this many pixels within a box at most 3 pixels wide are a blinking text cursor, not a
    /// change of the screen. Default 80.
    /// </summary>
    public int CaretPixels { get; init; } = 80;

    /// <summary>
    /// Variables set for applications that sessions start (<c>x11://TITLE?exec=…</c>), over this process's own: the
    /// DISPLAY of a desktop started for the run. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApplicationEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The clock for waits and review file names. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
