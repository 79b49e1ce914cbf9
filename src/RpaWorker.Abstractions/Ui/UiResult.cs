namespace RpaWorker.Ui;

/// <summary>Why a driver operation did not succeed. Expected failures are values, not exceptions.</summary>
public enum UiFailure
{
    /// <summary>No locator of the target resolved before the timeout.</summary>
    NotFound,
    /// <summary>A locator matched several elements and gave no index.</summary>
    Ambiguous,
    /// <summary>The element was found but something covers it or it is disabled (a popup, an overlay).</summary>
    Blocked,
    /// <summary>The operation did not finish before the timeout.</summary>
    Timeout,
    /// <summary>The page or window went away (navigation, crash, closed connection); usually transient.</summary>
    Disconnected,
    /// <summary>The server answered with an error page or status (HTTP 5xx); usually transient.</summary>
    ServerError,
    /// <summary>The driver cannot do this with this kind of target (an XPath on a desktop window).</summary>
    Unsupported,
    /// <summary>
    /// A value was read but cannot be trusted: the driver read it from pixels with low confidence, or it does not have
    /// the shape its field requires. It is held for review (see <see cref="IUiSession.ReadCheckedAsync"/>), not returned.
    /// </summary>
    Unverified,
}

/// <summary>The outcome of a driver operation: a value, or a failure with a PHI-free reason.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct UiResult<T>
{
    /// <summary>The value when <see cref="Ok"/>.</summary>
    public T? Value { get; init; }

    /// <summary>The failure when not <see cref="Ok"/>.</summary>
    public UiFailure? Failure { get; init; }

    /// <summary>
    /// What went wrong, naming the target and the locators tried. Never screen content: the screen shows PHI.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Which locator of the target resolved (0-based), when one did.</summary>
    public int? Locator { get; init; }

    /// <summary>True when the operation succeeded.</summary>
    public bool Ok => Failure is null;

    /// <summary>A success.</summary>
    public static UiResult<T> Success(T value, int? locator = null) => new() { Value = value, Locator = locator };

    /// <summary>A failure.</summary>
    public static UiResult<T> Fail(UiFailure failure, string reason) => new() { Failure = failure, Reason = reason };

    /// <summary>The same failure carried to another value type.</summary>
    public UiResult<TOther> As<TOther>() => new() { Failure = Failure, Reason = Reason, Locator = Locator };
}

/// <summary>No value: the result of an action.</summary>
public readonly record struct Done
{
    /// <summary>The single value.</summary>
    public static readonly Done Value = default;
}

/// <summary>A table as a screen shows it: header texts and rows of cell texts, whitespace-folded.</summary>
/// <param name="Headers">Header cells, in screen order; empty when the table has no header row.</param>
/// <param name="Rows">Body rows, each a list of cell texts in screen order.</param>
public sealed record UiTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>A native dialog (JavaScript alert/confirm, a desktop message box) that is open.</summary>
/// <param name="Kind">alert, confirm, prompt or beforeunload (web); message for desktop.</param>
/// <param name="Message">Its text. It may hold PHI: match on it, never log it.</param>
public sealed record UiDialog(string Kind, string Message);
