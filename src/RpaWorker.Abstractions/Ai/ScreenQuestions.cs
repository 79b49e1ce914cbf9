namespace RpaWorker.Ai;

/// <summary>
/// An element a driver offers as a possible answer. Structure (role, label, attribute names) says what the element
/// is; <see cref="Value"/> is what it shows, which is PHI.
/// </summary>
/// <remarks>
/// When the provider may not receive PHI, <see cref="Value"/> is replaced by its shape (<c>&lt;date&gt;</c>,
/// <c>&lt;number 7 digits&gt;</c>, <c>&lt;text&gt;</c>) and the other texts are scrubbed of dates, long numbers,
/// "LAST, FIRST" names and the <see cref="ScreenContext.KnownPhi"/> values. Put what the screen shows about the
/// patient in <see cref="Value"/>; keep the other texts to the screen's own wording.
/// </remarks>
public sealed record CandidateElement
{
    /// <summary>Accessible role (textbox, cell, button, link, ...). Required.</summary>
    public required string Role { get; init; }

    /// <summary>Accessible name, when it differs from the label.</summary>
    public string? Name { get; init; }

    /// <summary>The text of the label that names the element (a label element, the cell to its left).</summary>
    public string? Label { get; init; }

    /// <summary>Text near the element: the heading of its section, the column header.</summary>
    public string? NearbyText { get; init; }

    /// <summary>Attributes that help tell elements apart (id, name, class, type); values are scrubbed when masked.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>What the element shows or holds. PHI: sent only to a provider allowed to receive it, else its shape.</summary>
    public string? Value { get; init; }
}

/// <summary>Where a question is asked.</summary>
public sealed record ScreenContext
{
    /// <summary>
    /// A stable id of the screen's structure (not its values), computed by the driver. Answers are cached under it:
    /// two screens with the same fingerprint and the same question get the same answer without a second call.
    /// Required.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>What the question is for in the playbook (step id and field), for logs and reasons. Never PHI.</summary>
    public string Origin { get; init; } = "";

    /// <summary>The screen's title or main heading.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Values the caller knows to be PHI on this screen (the work item's name, MRN, birth date): they are scrubbed from
    /// every text sent to a provider not allowed to receive PHI, wherever they appear.
    /// </summary>
    public IReadOnlyList<string> KnownPhi { get; init; } = [];

    /// <summary>
    /// Checks an answer against the live screen before it is used (the element at that index still exists, is
    /// visible, has the expected role). Called for fresh and cached answers alike; false declines the answer and
    /// drops it from the cache. Null: no check beyond the assistant's own.
    /// </summary>
    public Func<ElementChoice, CancellationToken, ValueTask<bool>>? VerifyChoice { get; init; }
}

/// <summary>The answer to <see cref="IScreenAssistant.ChooseElementAsync"/>.</summary>
/// <param name="Index">Index into the candidates offered.</param>
/// <param name="Confidence">The model's confidence, 0 to 1.</param>
public sealed record ElementChoice(int Index, double Confidence);

/// <summary>A screen's outline, for classifying it.</summary>
public sealed record ScreenOutline
{
    /// <summary>The screen's structural fingerprint (see <see cref="ScreenContext.Fingerprint"/>). Required.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The screen's title or main heading.</summary>
    public string? Title { get; init; }

    /// <summary>The visible elements that matter (headings, dialogs, buttons, messages, fields), in screen order.</summary>
    public IReadOnlyList<CandidateElement> Elements { get; init; } = [];

    /// <summary>Values known to be PHI on this screen (see <see cref="ScreenContext.KnownPhi"/>).</summary>
    public IReadOnlyList<string> KnownPhi { get; init; } = [];

    /// <summary>What the question is for in the playbook, for logs and reasons. Never PHI.</summary>
    public string Origin { get; init; } = "";
}

/// <summary>Kinds of unrecognised screen.</summary>
public enum ScreenKind
{
    /// <summary>None of the others, or the model cannot tell.</summary>
    Unknown,
    /// <summary>A popup or modal over the expected screen (a notice, a reminder, a confirmation).</summary>
    Popup,
    /// <summary>An error page or message.</summary>
    Error,
    /// <summary>The session ended: a login screen, a "session expired" notice.</summary>
    SessionExpired,
    /// <summary>The screen shows another patient than the one asked for.</summary>
    WrongPatient,
}

/// <summary>The answer to <see cref="IScreenAssistant.ClassifyScreenAsync"/>.</summary>
/// <param name="Kind">What the screen is.</param>
/// <param name="Handler">One of the handler names offered, or null when none fits.</param>
/// <param name="Confidence">The model's confidence, 0 to 1.</param>
public sealed record ScreenClassification(ScreenKind Kind, string? Handler, double Confidence);
