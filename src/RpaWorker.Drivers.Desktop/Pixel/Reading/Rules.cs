using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>A ruled line: a table border or cell divider, 1 to 3 pixels thick.</summary>
/// <param name="Position">Its row (horizontal rules) or column (vertical rules).</param>
/// <param name="Start">Where it starts along its length.</param>
/// <param name="End">One past where it ends.</param>
internal readonly record struct Rule(int Position, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Finds the ruled lines of legacy layouts (table borders) in a greyscale screen. A pixel is on a rule when it is
/// clearly darker, or clearly lighter, than the pixels two steps away on both sides across the rule: true for thin
/// lines, false for the edge of a filled area and for most glyph strokes over a long run.
/// </summary>
internal static class Rules
{
    private const int Contrast = 28;
    private const int Reach = 2;
    private const int JunctionGap = 4;

    public static bool OnHorizontal(GrayImage g, int x, int y) =>
        y >= Reach && y + Reach < g.Height && Across(g[x, y], g[x, y - Reach], g[x, y + Reach]);

    public static bool OnVertical(GrayImage g, int x, int y) =>
        x >= Reach && x + Reach < g.Width && Across(g[x, y], g[x - Reach, y], g[x + Reach, y]);

    private static bool Across(int v, int a, int b) =>
        (a - v >= Contrast && b - v >= Contrast) || (v - a >= Contrast && v - b >= Contrast);

    /// <summary>Horizontal rules inside <paramref name="region"/> at least <paramref name="minLength"/> long, top to bottom.</summary>
    public static List<Rule> Horizontal(GrayImage g, PixelRect region, int minLength)
    {
        var r = region.Intersect(g.Bounds);
        var found = new List<Rule>();
        for (var y = r.Y; y < r.Bottom; y++)
        {
            // A crossing rule breaks the run for a pixel or two (the junction is not lighter than its neighbours); bridge it.
            int best = 0, bestStart = 0, start = -1, last = -1;
            for (var x = r.X; x < r.Right; x++)
            {
                if (!OnHorizontal(g, x, y))
                {
                    continue;
                }
                if (start < 0 || x - last > JunctionGap)
                {
                    start = x;
                }
                last = x;
                if (last - start + 1 > best)
                {
                    best = last - start + 1;
                    bestStart = start;
                }
            }
            if (best >= minLength)
            {
                found.Add(new Rule(y, bestStart, bestStart + best));
            }
        }
        return Merge(found);
    }

    /// <summary>Vertical rules crossing at least <paramref name="coverage"/> (0 to 1) of <paramref name="band"/>'s rows, left to right.</summary>
    public static List<Rule> Vertical(GrayImage g, PixelRect band, double coverage)
    {
        var r = band.Intersect(g.Bounds);
        var found = new List<Rule>();
        if (r.IsEmpty)
        {
            return found;
        }
        var needed = (int)Math.Ceiling(r.Height * coverage);
        for (var x = r.X; x < r.Right; x++)
        {
            var count = 0;
            for (var y = r.Y; y < r.Bottom; y++)
            {
                if (OnVertical(g, x, y))
                {
                    count++;
                }
            }
            if (count >= needed)
            {
                found.Add(new Rule(x, r.Y, r.Bottom));
            }
        }
        return Merge(found);
    }

    /// <summary>Whether a vertical rule crosses the band anywhere between two columns (exclusive).</summary>
    public static bool VerticalBetween(GrayImage g, int left, int right, PixelRect band, double coverage = 0.8) =>
        right - left > 1 && Vertical(g, PixelRect.FromEdges(left + 1, band.Y, right, band.Bottom), coverage).Count > 0;

    // Neighbouring rows (or columns) of one thick line become one rule at its middle, spanning the widest extent.
    private static List<Rule> Merge(List<Rule> rules)
    {
        var merged = new List<Rule>();
        var i = 0;
        while (i < rules.Count)
        {
            var j = i;
            int start = rules[i].Start, end = rules[i].End;
            while (j + 1 < rules.Count && rules[j + 1].Position == rules[j].Position + 1)
            {
                j++;
                start = Math.Min(start, rules[j].Start);
                end = Math.Max(end, rules[j].End);
            }
            merged.Add(new Rule((rules[i].Position + rules[j].Position) / 2, start, end));
            i = j + 1;
        }
        return merged;
    }
}
