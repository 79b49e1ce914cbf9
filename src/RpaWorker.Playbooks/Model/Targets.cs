namespace RpaWorker.Playbooks.Model;

/// <summary>How one target alternative finds an element.</summary>
public enum TargetKind
{
    /// <summary>Accessible role, with an optional accessible name (<c>{ role: button, name: OK }</c>).</summary>
    Role,
    /// <summary>The control labelled by this text (<c>&lt;label&gt;</c>, aria-label, AT-SPI label relation).</summary>
    Label,
    /// <summary>The element whose text is this.</summary>
    Text,
    /// <summary>The value cell to the right of a label cell with this text (<c>Name:</c> | <c>DOE, JOHN</c>).</summary>
    RightOf,
    /// <summary>The value below a label with this text (a column under its header).</summary>
    Below,
    /// <summary>The table or block that follows a heading with this text.</summary>
    NearHeading,
    /// <summary>A CSS selector (web only).</summary>
    Css,
    /// <summary>An XPath expression (web only).</summary>
    XPath,
    /// <summary>An accessibility id / automation id (desktop drivers).</summary>
    AccessibilityId,
    /// <summary>Text found by OCR on the captured screen (pixel driver).</summary>
    OcrText,
    /// <summary>A description in words, resolved by the AI tier and checked before use.</summary>
    Ai,
}

/// <summary>One way to find an element; a target tries its alternatives in order.</summary>
public sealed record TargetAlternative
{
    /// <summary>Required. How to find it.</summary>
    public required TargetKind Kind { get; init; }

    /// <summary>Required. The role, text, selector or description, depending on <see cref="Kind"/>. May hold templates.</summary>
    public required string Value { get; init; }

    /// <summary>The accessible name, for <see cref="TargetKind.Role"/>. May hold templates.</summary>
    public string? Name { get; init; }

    /// <summary>Whether text must match whole (true) or as a case-insensitive substring (false, the default).</summary>
    public bool Exact { get; init; }

    /// <summary>Which match to take when several match (0-based); by default more than one match is an error.</summary>
    public int? Index { get; init; }

    /// <summary>A CSS selector of the iframe (web) the element is in; null for the top document.</summary>
    public string? Frame { get; init; }

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>A PHI-free description for messages, e.g. <c>right_of "DOB:"</c>.</summary>
    public string Describe() => Kind switch
    {
        TargetKind.Role when Name is not null => $"role {Value} named \"{Name}\"",
        TargetKind.Role => $"role {Value}",
        _ => $"{PlaybookNames.Of(Kind)} \"{Value}\"",
    } + (Frame is null ? "" : $" in frame {Frame}") + (Index is { } i ? $" #{i}" : "");
}

/// <summary>A target: ordered fallbacks, the first that resolves wins.</summary>
/// <param name="Alternatives">At least one alternative.</param>
/// <param name="Location">Where the target is written.</param>
public sealed record TargetDefinition(IReadOnlyList<TargetAlternative> Alternatives, SourceLocation Location)
{
    /// <summary>A PHI-free description of all alternatives.</summary>
    public string Describe() => string.Join(" | ", Alternatives.Select(a => a.Describe()));
}

/// <summary>What a condition checks on the screen.</summary>
public enum ConditionKind
{
    /// <summary>The screen shows this text.</summary>
    Text,
    /// <summary>The target resolves and is visible.</summary>
    Visible,
    /// <summary>The target does not resolve or is hidden.</summary>
    Hidden,
    /// <summary>The page address contains this text (web).</summary>
    Url,
    /// <summary>A native dialog (JavaScript alert/confirm, or a desktop message box) is open; optional text.</summary>
    Dialog,
    /// <summary>Any child holds.</summary>
    Any,
    /// <summary>Every child holds.</summary>
    All,
    /// <summary>The single child does not hold.</summary>
    Not,
}

/// <summary>A condition on the screen, for waits, handlers and <c>if</c>.</summary>
public sealed record ConditionDefinition
{
    /// <summary>Required. What it checks.</summary>
    public required ConditionKind Kind { get; init; }

    /// <summary>The text for Text, Url and Dialog.</summary>
    public string? Text { get; init; }

    /// <summary>The target for Visible and Hidden.</summary>
    public TargetDefinition? Target { get; init; }

    /// <summary>Children of Any, All and Not.</summary>
    public IReadOnlyList<ConditionDefinition> Children { get; init; } = [];

    /// <summary>Where it is written.</summary>
    public required SourceLocation Location { get; init; }
}
