using System.Text.RegularExpressions;

namespace RpaWorker.Ai.Masking;

/// <summary>
/// Replaces what a screen shows about a patient with its shape, so a provider not allowed to receive PHI still sees
/// the screen's structure. It errs towards masking too much: a masked label costs a little accuracy, a leaked name
/// costs a breach.
/// </summary>
internal static partial class PhiMasker
{
    /// <summary>The shape of a value: what kind of thing it is, never what it says.</summary>
    public static string Shape(string? value)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return "<empty>";
        }
        if (WholeDate().IsMatch(text))
        {
            return "<date>";
        }
        if (WholeEmail().IsMatch(text))
        {
            return "<email>";
        }
        var digits = text.Count(char.IsAsciiDigit);
        if (WholeNumberLike().IsMatch(text))
        {
            return digits is 10 or 11 && !text.All(char.IsAsciiDigit) ? "<phone>" : $"<number {digits} digits>";
        }
        if (WholeName().IsMatch(text))
        {
            return "<name>";
        }
        return "<text>";
    }

    /// <summary>
    /// A screen text with the patient's data taken out: the known PHI values wherever they occur, then dates, e-mail
    /// addresses, "LAST, FIRST" names and numbers of three digits or more.
    /// </summary>
    public static string Scrub(string? text, IReadOnlyList<string> knownPhi)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        var result = text;
        foreach (var known in knownPhi.Select(k => k.Trim()).Where(k => k.Length >= 2).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(k => k.Length))
        {
            result = result.Replace(known, Shape(known), StringComparison.OrdinalIgnoreCase);
        }
        result = InlineDate().Replace(result, "<date>");
        result = InlineEmail().Replace(result, "<email>");
        result = InlineName().Replace(result, "<name>");
        return InlineNumber().Replace(result, m =>
        {
            var digits = m.Value.Count(char.IsAsciiDigit);
            return digits >= 3 ? $"<number {digits} digits>" : m.Value;
        });
    }

    private const string Months = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
    private const string DatePattern =
        @"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|" + Months + @"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:'\d{2}|\d{4})|\d{1,2}\s+" + Months + @"\s+(?:'\d{2}|\d{4})";

    [GeneratedRegex("^(?:" + DatePattern + ")$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WholeDate();

    [GeneratedRegex(@"(?<!\w)(?:" + DatePattern + @")(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineDate();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeEmail();

    [GeneratedRegex(@"[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex InlineEmail();

    [GeneratedRegex(@"^[+#]?[\d\s().\-/]*\d[\d\s().\-/]*$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumberLike();

    // Legacy screens write names "DOE, JOHN A"; newer ones "Doe, John". A list of headings in title case
    // ("Allergies, Medications") is masked too: that loses a little context, never data.
    [GeneratedRegex(@"^[A-Z][A-Za-z'\-]+(?:\s[A-Z][A-Za-z'\-]+)?,\s*[A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]*\.?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeName();

    [GeneratedRegex(@"\b[A-Z][A-Za-z'\-]+,\s*[A-Z][A-Za-z'\-]+(?:\s+[A-Z]\b\.?)?", RegexOptions.CultureInvariant)]
    private static partial Regex InlineName();

    [GeneratedRegex(@"(?<![\w<])[+#(]?\d[\d\-().\s/]*\d(?![\w>])", RegexOptions.CultureInvariant)]
    private static partial Regex InlineNumber();
}
