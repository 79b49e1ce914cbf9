using System.Text.RegularExpressions;

namespace RpaWorker.Ui;

/// <summary>A value read from a screen, with how far the driver trusts it.</summary>
public sealed record UiReading
{
    /// <summary>The text read, whitespace-folded and trimmed. It may be PHI: never log it.</summary>
    public required string Text { get; init; }

    /// <summary>The driver's confidence in <see cref="Text"/>, 0 to 1; 1 for drivers that read text exactly.</summary>
    public double Confidence { get; init; } = 1;

    /// <summary>
    /// Null when the value can be used. Otherwise why a person must check it first (low confidence, wrong shape, two
    /// readings that disagree), naming the field and never the value.
    /// </summary>
    public string? Review { get; init; }

    /// <summary>
    /// Where the driver saved the picture of the value for the reviewer (a PNG under its configured review folder), or
    /// null. The picture shows PHI.
    /// </summary>
    public string? Evidence { get; init; }

    /// <summary>True when <see cref="Review"/> is set.</summary>
    public bool NeedsReview => Review is not null;
}

/// <summary>What a value read from the screen must look like to be trusted.</summary>
public sealed record UiValueCheck
{
    /// <summary>No shape and the driver's own confidence threshold.</summary>
    public static UiValueCheck None { get; } = new();

    /// <summary>
    /// A regular expression the whole value must match (anchors are implied), e.g. <c>[0-9]{6,10}</c> for a record
    /// number or <c>\d{2}/\d{2}/\d{4}</c> for a date. Default null: any text.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>The lowest confidence (0 to 1) accepted without review. Default null: the driver's own threshold.</summary>
    public double? MinConfidence { get; init; }

    /// <summary>
    /// The field's name for review notes and evidence files, e.g. "banner.mrn". Playbook text, never screen data.
    /// Default null: the target's description is used.
    /// </summary>
    public string? Field { get; init; }

    /// <summary>Whether <paramref name="value"/> has the required shape (always true without a <see cref="Pattern"/>).</summary>
    /// <exception cref="ArgumentException"><see cref="Pattern"/> is not a valid regular expression.</exception>
    public bool Matches(string value) =>
        Pattern is null || Regex.IsMatch(value, $"^(?:{Pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The field for messages: <see cref="Field"/>, else the target's description.</summary>
    public string Describe(UiTarget target) => Field is { Length: > 0 } f ? $"field '{f}'" : $"target {target}";
}

/// <summary>A table read from a screen, with the cells the driver doubts.</summary>
/// <param name="Table">The table as read; a doubtful cell holds the driver's best reading.</param>
/// <param name="Doubtful">The body cells to check before use; empty when every cell can be used.</param>
public sealed record UiCheckedTable(UiTable Table, IReadOnlyList<UiDoubtfulCell> Doubtful);

/// <summary>A table cell that must be checked by a person before its value is used.</summary>
/// <param name="Row">Its body row in <see cref="UiTable.Rows"/>, from 0; -1 for a cell of <see cref="UiTable.Headers"/> (headers can be data, such as a flowsheet's dates).</param>
/// <param name="Column">Its column, from 0.</param>
/// <param name="Review">Why, naming the column and never the value.</param>
/// <param name="Evidence">Where the picture of the cell was saved (it shows PHI), or null.</param>
public sealed record UiDoubtfulCell(int Row, int Column, string Review, string? Evidence)
{
    /// <summary>
    /// Only the recognizer's confidence is in doubt: independent readings of the cell agreed on its text. A caller that
    /// knows the values the column can hold may use such a cell when its text is one of them. Default false.
    /// </summary>
    public bool ReadingsAgree { get; init; }
}
