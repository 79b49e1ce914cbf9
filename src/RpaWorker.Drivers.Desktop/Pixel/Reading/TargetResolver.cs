using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>What a target is wanted for: the same label gives its value to read, or its field to type in.</summary>
internal enum TargetUse
{
    Read,
    Click,
    Fill,
}

/// <summary>Where a locator matched on a capture.</summary>
/// <param name="Box">Where to act (click, type) and what the value covers.</param>
/// <param name="Text">The text there (the value for RightOf/Below, the field's content for a field). It may be PHI.</param>
/// <param name="Confidence">OCR's confidence in <paramref name="Text"/> (its weakest word); 1 for an empty cell.</param>
/// <param name="Evidence">What a reviewer should see: the label and its value together.</param>
/// <param name="Words">The words making up <paramref name="Text"/>.</param>
internal sealed record TargetMatch(PixelRect Box, string Text, double Confidence, PixelRect Evidence, IReadOnlyList<OcrWord> Words);

/// <summary>
/// Resolves locators on a screen known only by OCR. Text and OcrText match phrases; Label finds the input box to the
/// right of (else under) the label; RightOf and Below find the value next to or under the label, using ruled lines
/// when the layout has them; Role matches its name as text (roles are not visible in pixels). CSS, XPath,
/// accessibility ids and AI descriptions cannot be resolved from pixels.
/// </summary>
internal static class TargetResolver
{
    internal static readonly HashSet<string> FieldRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "textbox", "input", "field", "searchbox", "combobox", "select", "dropdown", "spinbutton",
    };

    /// <summary>The matches of the locator, or why this driver cannot resolve it.</summary>
    public static (List<TargetMatch> Matches, string? Unsupported) Resolve(ScreenText screen, UiLocator locator, TargetUse use)
    {
        switch (locator.Kind)
        {
            case LocatorKind.Text or LocatorKind.OcrText or LocatorKind.NearHeading:
                return (Phrases(screen, locator.Value, locator.Exact, use), null);
            case LocatorKind.Role when locator.Name is null:
                return ([], $"{locator}: the pixel driver cannot see roles; give the role a name (its caption) or use a text locator");
            case LocatorKind.Role when FieldRoles.Contains(locator.Value):
                return (Labelled(screen, locator.Name, locator.Exact, use), null);
            case LocatorKind.Role:
                return (Phrases(screen, locator.Name, locator.Exact, use), null);
            case LocatorKind.Label:
                return (Labelled(screen, locator.Value, locator.Exact, use), null);
            case LocatorKind.RightOf when use == TargetUse.Fill:
                return (Labelled(screen, locator.Value, locator.Exact, use), null);
            case LocatorKind.RightOf:
                return (Labels(screen, locator).Select(l => RightOf(screen, l)).OfType<TargetMatch>().ToList(), null);
            case LocatorKind.Below:
                return (Labels(screen, locator).Select(l => Below(screen, l)).OfType<TargetMatch>().ToList(), null);
            default:
                return ([], $"{locator}: the pixel driver sees only pixels; use text, label, right_of, below or ocr_text");
        }
    }

    private static List<Phrase> Labels(ScreenText screen, UiLocator locator) =>
        PhraseFinder.Find(screen, locator.Value, locator.Exact, labelLike: true);

    // A click goes to the words that match; a read gives the whole cell they are in, as the web driver gives an element's text.
    private static List<TargetMatch> Phrases(ScreenText screen, string text, bool exact, TargetUse use) =>
        PhraseFinder.FindInCells(screen, text, exact, labelLike: false)
            .Select(m => use == TargetUse.Read ? m.Cell : m.Match)
            .Select(p => new TargetMatch(p.Box, p.Text, p.Confidence, p.Box, p.Words))
            .ToList();

    private static List<TargetMatch> Labelled(ScreenText screen, string label, bool exact, TargetUse use)
    {
        var matches = new List<TargetMatch>();
        foreach (var phrase in PhraseFinder.Find(screen, label, exact, labelLike: true))
        {
            if ((FieldRightOf(screen, phrase) ?? FieldBelow(screen, phrase)) is not { } field || !LooksLikeField(screen, field, phrase.Line.Height))
            {
                continue;
            }
            var words = screen.Words.Where(w => field.Contains(w.Box.CenterX, w.Box.CenterY)).OrderBy(w => w.Box.X).ToList();
            matches.Add(Value(words, field, phrase.Box.Union(field)));
        }
        return matches;
    }

    private static TargetMatch Value(IReadOnlyList<OcrWord> words, PixelRect emptyBox, PixelRect label)
    {
        if (words.Count == 0)
        {
            return new TargetMatch(emptyBox, "", 1, label.Union(emptyBox), words);
        }
        var box = words.Aggregate(default(PixelRect), (b, w) => b.Union(w.Box));
        return new TargetMatch(box, string.Join(' ', words.Select(w => w.Text)), words.Min(w => w.Confidence), label.Union(box), words);
    }

    /// <summary>
    /// The value right of a label: the next cell of its line. With ruled cells, the cell after the label's cell (empty
    /// when it holds nothing); without, the words after the label to the end of their cell (<see cref="ScreenText.Cells"/>).
    /// </summary>
    private static TargetMatch? RightOf(ScreenText screen, Phrase label)
    {
        var line = label.Line;
        var band = ScreenText.Band(line);
        var after = line.Words.Where(w => w.Box.X >= label.Box.Right - 1 && !label.Words.Contains(w)).ToList();
        var rules = Rules.Vertical(screen.Gray, PixelRect.FromEdges(label.Box.Right + 1, band.Y, screen.Gray.Width, band.Bottom), 0.8);
        if (after.Count > 0 && (rules.Count == 0 || after[0].Box.X < rules[0].Position))
        {
            // The rest of the cell the first word is in: a cell ends at a cell break, and before a label the value ran into.
            var own = screen.Cells(line).First(c => c.Words.Contains(after[0]));
            return Value(after.TakeWhile(own.Words.Contains).ToList(), default, label.Box);
        }
        if (rules.Count < 2)
        {
            return null;
        }
        var cell = PixelRect.FromEdges(rules[0].Position + 1, band.Y, rules[1].Position, band.Bottom);
        return Value(after.Where(w => w.Box.CenterX > cell.X && w.Box.CenterX < cell.Right).ToList(), cell, label.Box);
    }

    /// <summary>The value under a label: in the next line down, the words inside the label's column.</summary>
    private static TargetMatch? Below(ScreenText screen, Phrase label)
    {
        var (left, right) = Column(screen, label);
        var next = screen.Lines.FirstOrDefault(l => l.Box.Y >= label.Line.Box.Bottom - 1 && l != label.Line &&
            l.Words.Any(w => w.Box.CenterX > left && w.Box.CenterX < right));
        if (next is null)
        {
            return null;
        }
        var cell = PixelRect.FromEdges(left, next.Box.Y, right, next.Box.Bottom);
        return Value(next.Words.Where(w => w.Box.CenterX > left && w.Box.CenterX < right).ToList(), cell, label.Box);
    }

    /// <summary>The horizontal extent of the label's column: between the rules or neighbouring cells around it, whichever are nearer.</summary>
    internal static (int Left, int Right) Column(ScreenText screen, Phrase label)
    {
        var band = ScreenText.Band(label.Line);
        var rules = Rules.Vertical(screen.Gray, PixelRect.FromEdges(0, band.Y, screen.Gray.Width, band.Bottom), 0.8);
        var cells = screen.Cells(label.Line);
        var previous = cells.LastOrDefault(c => c.Box.Right <= label.Box.X);
        var following = cells.FirstOrDefault(c => c.Box.X >= label.Box.Right);
        // The nearer of the two on each side: a layout table without rules sits inside a bordered box, whose border is
        // no column edge.
        var left = rules.Where(r => r.Position <= label.Box.X).Select(r => r.Position).Append(previous?.Box.Right ?? 0).Max();
        var right = rules.Where(r => r.Position >= label.Box.Right).Select(r => r.Position).Append(following?.Box.X ?? screen.Gray.Width).Min();
        return (left, right);
    }

    /// <summary>An input box right of the label: the first boxed area before any text, on the label's row.</summary>
    private static PixelRect? FieldRightOf(ScreenText screen, Phrase label)
    {
        var g = screen.Gray;
        var y = label.Box.CenterY;
        var half = Math.Max(3, label.Line.Height / 2);
        var start = label.Box.Right + 2;
        if (start >= g.Width)
        {
            return null;
        }
        var background = g[start, y];
        var nextWord = label.Line.Words.Where(w => w.Box.X > label.Box.Right).Select(w => w.Box.X).DefaultIfEmpty(int.MaxValue).Min();
        for (var x = start + 1; x < Math.Min(g.Width - 8, label.Box.Right + 500) && x < nextWord; x++)
        {
            if (Edge(g, x, y - half, y + half, background, vertical: true))
            {
                return BoxAround(g, Math.Min(g.Width - 1, x + 2), y);
            }
        }
        return null;
    }

    /// <summary>An input box under the label: the first boxed area below it, in its column.</summary>
    private static PixelRect? FieldBelow(ScreenText screen, Phrase label)
    {
        var g = screen.Gray;
        var x = label.Box.X + Math.Min(label.Box.Width, 12) / 2;
        var start = label.Box.Bottom + 2;
        if (start >= g.Height)
        {
            return null;
        }
        var background = g[x, start];
        for (var y = start + 1; y < Math.Min(g.Height - 8, label.Box.Bottom + 3 * label.Line.Height); y++)
        {
            if (screen.Words.Any(w => w.Box.Contains(x, y)))
            {
                return null;
            }
            if (Edge(g, y, label.Box.X, label.Box.Right, background, vertical: false))
            {
                return BoxAround(g, x, Math.Min(g.Height - 1, y + 2));
            }
        }
        return null;
    }

    private const int EdgeContrast = 40;
    // Input boxes are light inside (white, or a pale tint for required fields); a grey header cell next to a column
    // title is not one.
    private const int LightInterior = 200;

    // A field is wider than it is tall, about a line of text high, and light inside.
    private static bool LooksLikeField(ScreenText screen, PixelRect field, int textHeight) =>
        field.Width >= 2 * textHeight && field.Height >= textHeight * 0.8 && field.Height <= textHeight * 3.5 &&
        screen.Gray[Math.Min(screen.Gray.Width - 1, field.X + 2), Math.Min(screen.Gray.Height - 1, field.Y + 1)] >= LightInterior;

    // Whether a line of pixels (a column from a to b when vertical, else a row) stands out from the background along 80 % of it.
    private static bool Edge(GrayImage g, int at, int a, int b, int background, bool vertical)
    {
        a = Math.Max(0, a);
        b = Math.Min((vertical ? g.Height : g.Width) - 1, b);
        var count = 0;
        for (var i = a; i <= b; i++)
        {
            var v = vertical ? g[at, i] : g[i, at];
            if (Math.Abs(v - background) >= EdgeContrast)
            {
                count++;
            }
        }
        return b > a && count >= 0.8 * (b - a + 1);
    }

    // The box around an interior point next to its left or top border: walk up and down that column, then left and right
    // along the first interior row, which text inside the box does not reach.
    private static PixelRect BoxAround(GrayImage g, int x, int y)
    {
        var interior = g[x, y];
        int Walk(int from, int step, int limit, Func<int, byte> pixel)
        {
            var i = from;
            while (i + step >= 0 && i + step < limit && Math.Abs(pixel(i + step) - interior) < EdgeContrast)
            {
                i += step;
            }
            return i;
        }
        var top = Walk(y, -1, g.Height, yy => g[x, yy]);
        var bottom = Walk(y, 1, g.Height, yy => g[x, yy]);
        var left = Walk(x, -1, g.Width, xx => g[xx, top]);
        var right = Walk(x, 1, g.Width, xx => g[xx, top]);
        return PixelRect.FromEdges(left, top, right + 1, bottom + 1);
    }
}
