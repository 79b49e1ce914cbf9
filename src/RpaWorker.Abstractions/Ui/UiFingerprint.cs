namespace RpaWorker.Ui;

/// <summary>What kind of element a fingerprint describes, which decides the candidates it is compared with.</summary>
public enum UiElementKind
{
    /// <summary>A value shown next to or under a label (a cell, a span): read, never acted on.</summary>
    Value,
    /// <summary>Something to click or activate: a link, a button, a tab.</summary>
    Control,
    /// <summary>An input: a text box, a list, a check box.</summary>
    Field,
    /// <summary>A table or list.</summary>
    Table,
}

/// <summary>
/// The structure of the screen around an element that a target resolved to, so that the element can be found again
/// when the screen changes (a vendor upgrade renames a label, moves a tab). It holds what the screen is made of (roles,
/// label and heading texts, attribute names and ids, where the element sits) and never what the element shows: a
/// value's own text is PHI and is left out. A control's or a field's own label is structure and is kept.
/// </summary>
public sealed record UiFingerprint
{
    /// <summary>Required. What kind of element it is.</summary>
    public required UiElementKind Kind { get; init; }

    /// <summary>Its role: an ARIA role (link, button, tab, textbox, cell, table) or, for a plain element, its tag.</summary>
    public string Role { get; init; } = "";

    /// <summary>
    /// The text that names it: a control's accessible name, the label of a field or of a value (the label cell before
    /// it, the label element), a table's heading. Empty when nothing names it.
    /// </summary>
    public string Label { get; init; } = "";

    /// <summary>Label-like texts near it (other labels in its row or box, column headers), in screen order. Never values.</summary>
    public IReadOnlyList<string> Nearby { get; init; } = [];

    /// <summary>
    /// Structural attributes: id, name, type, class, and a link's address with numbers masked and its query reduced to
    /// its parameter names. Never a value the user sees.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Where it sits in the tree, e.g. <c>body/table[3]/tbody[0]/tr[0]/td[5]</c> (element names, 0-based positions among siblings).</summary>
    public string Path { get; init; } = "";

    /// <summary>Its centre across the page, 0 (left) to 1 (right).</summary>
    public double X { get; init; }

    /// <summary>Its centre down the page, 0 (top) to 1 (bottom).</summary>
    public double Y { get; init; }

    /// <summary>A table's column headers, in screen order; empty for other kinds.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>For pixel screens: the recognised words around it (labels only, as for <see cref="Nearby"/>).</summary>
    public IReadOnlyList<string> Words { get; init; } = [];
}

/// <summary>An element on the current screen that might be what a target that no longer resolves meant.</summary>
/// <param name="Fingerprint">Its fingerprint, captured as for a resolved target.</param>
/// <param name="Locator">A locator that finds it, of the kind asked for where the driver can express one.</param>
public sealed record UiCandidate(UiFingerprint Fingerprint, UiLocator Locator);
