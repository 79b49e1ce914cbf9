using System.Text;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

/// <summary>
/// How much a candidate on today's screen looks like the element a target found before, from 0 to 1. Deterministic:
/// the same fingerprints always score the same. Labels count most, then where the element sits (its tree path and its
/// place on the page), then the labels around it and its attributes; a table is known mostly by its column headers.
/// </summary>
internal static class FingerprintScorer
{
    public static double Score(UiFingerprint known, UiFingerprint candidate)
    {
        var role = string.Equals(known.Role, candidate.Role, StringComparison.OrdinalIgnoreCase) ? 1 : 0.7;
        var position = Position(known, candidate);
        double score = known.Kind == UiElementKind.Table
            ? 0.2 * Similarity(known.Label, candidate.Label) + 0.4 * SetSimilarity(known.Headers, candidate.Headers) + 0.2 * PathSimilarity(known.Path, candidate.Path)
              + 0.1 * position + 0.1 * AttributeSimilarity(known.Attributes, candidate.Attributes)
            : 0.35 * Similarity(known.Label, candidate.Label) + 0.25 * PathSimilarity(known.Path, candidate.Path) + 0.15 * SetSimilarity(known.Nearby, candidate.Nearby)
              + 0.15 * position + 0.1 * AttributeSimilarity(known.Attributes, candidate.Attributes);
        return Math.Round(score * role, 4);
    }

    /// <summary>
    /// How much a candidate sits where the known element sat, its label aside: its path, the labels around it and its
    /// place on the screen, weighed as in <see cref="Score"/>, from 0 to 1. A look-alike label in another block of the
    /// screen (a guarantor's "D.O.B:" far under the banner's) scores low here however alike the label is.
    /// </summary>
    public static double Placement(UiFingerprint known, UiFingerprint candidate) =>
        Math.Round((0.25 * PathSimilarity(known.Path, candidate.Path) + 0.15 * SetSimilarity(known.Nearby, candidate.Nearby)
                    + 0.15 * Position(known, candidate)) / 0.55, 4);

    // 1 at the same place, 0 half a screen or more away.
    private static double Position(UiFingerprint known, UiFingerprint candidate) =>
        1 - Math.Min(1, Math.Sqrt(Math.Pow(known.X - candidate.X, 2) + Math.Pow(known.Y - candidate.Y, 2)) / 0.5);

    /// <summary>
    /// Text likeness, ignoring case, spaces and punctuation ("D.O.B.:" is "DOB:"): 1 when equal, 0.6 when one holds the
    /// other, else the share of letter pairs they have in common.
    /// </summary>
    public static double Similarity(string? a, string? b)
    {
        var x = Normal(a);
        var y = Normal(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return x.Length == y.Length ? 0.5 : 0;
        }
        if (x == y)
        {
            return 1;
        }
        if (x.Contains(y, StringComparison.Ordinal) || y.Contains(x, StringComparison.Ordinal))
        {
            return 0.6;
        }
        var pairsX = Pairs(x);
        var pairsY = Pairs(y);
        if (pairsX.Count == 0 || pairsY.Count == 0)
        {
            return 0;
        }
        var common = pairsX.Count(pairsY.Remove);
        return 2.0 * common / (Pairs(x).Count + Pairs(y).Count);
    }

    /// <summary>For each known text, how well the best candidate text matches it, averaged; 0.5 when both are empty.</summary>
    public static double SetSimilarity(IReadOnlyList<string> known, IReadOnlyList<string> candidate)
    {
        if (known.Count == 0 || candidate.Count == 0)
        {
            return known.Count == candidate.Count ? 0.5 : 0;
        }
        return known.Average(k => candidate.Max(c => Similarity(k, c)));
    }

    /// <summary>1 for the same path; otherwise up to 0.5 for the share of leading steps in common, plus 0.1 for the same shape.</summary>
    public static double PathSimilarity(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        if (a == b)
        {
            return 1;
        }
        var x = a.Split('/');
        var y = b.Split('/');
        var common = 0;
        while (common < x.Length && common < y.Length && x[common] == y[common])
        {
            common++;
        }
        var sameShape = x.Length == y.Length && x.Zip(y).All(p => Tag(p.First) == Tag(p.Second));
        return 0.5 * common / Math.Max(x.Length, y.Length) + (sameShape ? 0.1 : 0);
    }

    /// <summary>Share of attribute names whose values agree; 1 when neither has any.</summary>
    public static double AttributeSimilarity(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        var keys = a.Keys.Union(b.Keys, StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return 1;
        }
        return keys.Count(k => a.TryGetValue(k, out var x) && b.TryGetValue(k, out var y) && x == y) / (double)keys.Count;
    }

    private static string Tag(string step)
    {
        var bracket = step.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? step : step[..bracket];
    }

    private static string Normal(string? text)
    {
        var sb = new StringBuilder();
        foreach (var c in text ?? "")
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }
        return sb.ToString();
    }

    private static List<string> Pairs(string text)
    {
        var pairs = new List<string>();
        for (var i = 0; i + 1 < text.Length; i++)
        {
            pairs.Add(text.Substring(i, 2));
        }
        return pairs;
    }
}
