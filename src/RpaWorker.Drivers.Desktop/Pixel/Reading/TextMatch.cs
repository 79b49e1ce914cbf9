namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>
/// How well screen text matches the text a locator asks for. Lower ranks are better; only the best rank found is used,
/// so "Search" picks the Search button over a "Patient Search" link.
/// </summary>
internal static class TextMatch
{
    public const int Same = 0;
    public const int SameIgnoringCase = 1;
    public const int Contains = 2;
    /// <summary>One or two characters off (an OCR slip such as "Usemame" for "Username"), for longer texts only.</summary>
    public const int Near = 3;

    /// <summary>The rank of <paramref name="candidate"/> against <paramref name="wanted"/>, or null when it does not match.</summary>
    /// <param name="candidate">Text on the screen.</param>
    /// <param name="wanted">Text the locator asks for.</param>
    /// <param name="exact">Whole-text matches only (ranks <see cref="Same"/> and <see cref="SameIgnoringCase"/>).</param>
    /// <param name="labelLike">A trailing colon is optional on either side.</param>
    public static int? Rank(string candidate, string wanted, bool exact, bool labelLike)
    {
        var c = Normalize(candidate, labelLike);
        var w = Normalize(wanted, labelLike);
        if (w.Length == 0)
        {
            return null;
        }
        if (string.Equals(c, w, StringComparison.Ordinal))
        {
            return Same;
        }
        if (string.Equals(c, w, StringComparison.OrdinalIgnoreCase))
        {
            return SameIgnoringCase;
        }
        if (exact)
        {
            return null;
        }
        if (c.Contains(w, StringComparison.OrdinalIgnoreCase))
        {
            return Contains;
        }
        return w.Length >= 5 && Distance(Canonical(c), Canonical(w)) <= (w.Length >= 12 ? 2 : 1) ? Near : null;
    }

    // Upper case with the shapes OCR confuses on screen fonts made one: "rn" and "m", "0" and "O", "1", "l" and "I".
    private static string Canonical(string text) =>
        new System.Text.StringBuilder(text.ToUpperInvariant())
            .Replace("RN", "M").Replace("VV", "W").Replace("CL", "D")
            .Replace('0', 'O').Replace('1', 'I').Replace('L', 'I').Replace('|', 'I').Replace('5', 'S').Replace('8', 'B')
            .ToString();

    public static string Normalize(string text, bool labelLike)
    {
        var folded = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return labelLike ? folded.TrimEnd(':').TrimEnd() : folded;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
