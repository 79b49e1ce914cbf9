namespace RpaWorker.Ui;

/// <summary>How a locator finds an element on a screen. Mirrors the playbook language's target keywords.</summary>
public enum LocatorKind
{
    /// <summary>Accessible role (<see cref="UiLocator.Value"/>) with an optional accessible name (<see cref="UiLocator.Name"/>).</summary>
    Role,
    /// <summary>The input control labelled by the text (label element, aria-label, or a label cell next to it).</summary>
    Label,
    /// <summary>The smallest element whose own text is the text.</summary>
    Text,
    /// <summary>The value to the right of a label: the next cell of the label's table row, else the nearest element to its right on the same line.</summary>
    RightOf,
    /// <summary>The value below a label: the cell in the same column of the next row, else the nearest element under it.</summary>
    Below,
    /// <summary>The first table (or list) after a heading-like element with the text.</summary>
    NearHeading,
    /// <summary>A CSS selector (web).</summary>
    Css,
    /// <summary>An XPath expression (web).</summary>
    XPath,
    /// <summary>An accessibility / automation id (desktop).</summary>
    AccessibilityId,
    /// <summary>Text found by OCR (pixel screens).</summary>
    OcrText,
    /// <summary>A description in words for the AI tier; a driver without one reports it as not resolvable.</summary>
    Ai,
}

/// <summary>One way to find an element, with templates already rendered.</summary>
/// <param name="Kind">How to find it.</param>
/// <param name="Value">Role, text, selector or description.</param>
/// <param name="Name">Accessible name, for <see cref="LocatorKind.Role"/>.</param>
/// <param name="Exact">Whole-text match when true; case-insensitive substring otherwise.</param>
/// <param name="Index">Which match (0-based) when several match; null means several matches are ambiguous.</param>
/// <param name="Frame">CSS selector of the iframe to look in (web); null for the top document.</param>
public sealed record UiLocator(LocatorKind Kind, string Value, string? Name = null, bool Exact = false, int? Index = null, string? Frame = null)
{
    /// <summary>A description for messages. It holds playbook text (labels, selectors), never screen data.</summary>
    public override string ToString() => Kind switch
    {
        LocatorKind.Role when Name is not null => $"role {Value} named \"{Name}\"",
        _ => $"{Kind} \"{Value}\"",
    } + (Frame is null ? "" : $" in frame {Frame}") + (Index is { } i ? $" #{i}" : "");
}

/// <summary>A target: locators tried in order; the first that resolves to exactly one element (or to its index) wins.</summary>
/// <param name="Locators">At least one.</param>
/// <param name="Description">What the playbook calls it, for messages (e.g. the step id and field).</param>
public sealed record UiTarget(IReadOnlyList<UiLocator> Locators, string Description)
{
    /// <summary>A target with one locator.</summary>
    public static UiTarget Of(UiLocator locator, string? description = null) => new([locator], description ?? locator.ToString());

    /// <inheritdoc />
    public override string ToString() => Description;
}
