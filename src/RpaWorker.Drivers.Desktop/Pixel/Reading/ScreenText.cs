using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>
/// What OCR found on one capture, arranged the way a person reads a screen: words grouped into lines (boxes that share
/// their vertical span), lines top to bottom, words left to right. Coordinates are the capture's.
/// </summary>
internal sealed class ScreenText
{
    public ScreenText(ScreenCapture capture, OcrResult ocr)
    {
        Capture = capture;
        Gray = capture.Image.ToGray();
        var separators = new List<PixelRect>();
        Words = Clean(ocr.Words, separators);
        Separators = separators;
        Lines = GroupLines(Words);
    }

    public ScreenCapture Capture { get; }

    public GrayImage Gray { get; }

    public IReadOnlyList<OcrWord> Words { get; }

    public IReadOnlyList<TextLine> Lines { get; }

    /// <summary>Where OCR saw "|" on its own, or a bar two text lines tall: a menu's, toolbar's or pager's separator, which ends a cell.</summary>
    public IReadOnlyList<PixelRect> Separators { get; }

    /// <summary>
    /// Drops what OCR makes of input borders and rules ("|") and trims it off words it sticks to. A word without a
    /// letter or digit survives only when OCR is sure of it ("-", "&amp;").
    /// </summary>
    private static List<OcrWord> Clean(IReadOnlyList<OcrWord> words, List<PixelRect> separators)
    {
        var kept = new List<OcrWord>();
        var heights = words.Where(w => w.Text.Any(char.IsLetterOrDigit)).Select(w => w.Box.Height).Order().ToList();
        var textHeight = heights.Count == 0 ? 0 : heights[heights.Count / 2];
        foreach (var w in words)
        {
            if (IsBar(w, textHeight))
            {
                separators.Add(w.Box);
                continue;
            }
            var text = Straighten(w.Text).Trim('|');
            if (text.Length == 0 || (!text.Any(char.IsLetterOrDigit) && (w.Confidence < 0.8 || text.Contains('|'))))
            {
                if (w.Text.Trim() is "|" or "||")
                {
                    separators.Add(w.Box);
                }
                continue;
            }
            kept.Add(text == w.Text ? w : w with { Text = text });
        }
        // Tesseract retries light-on-dark text inverted and sometimes keeps both readings: of two words on the same
        // spot, keep the surer.
        return kept.Where(w => !kept.Any(o => !ReferenceEquals(o, w) && Overlap(o.Box, w.Box) > 0.5 &&
            (o.Confidence > w.Confidence || (o.Confidence == w.Confidence && o.Box.X < w.Box.X)))).ToList();
    }

    // A toolbar's or a menu's separator, a thin line two or more text lines tall, comes out as whatever bar-like glyph
    // the model picks ("[", "l", "!"); read as a word, it would glue the buttons on either side into one cell.
    private static bool IsBar(OcrWord word, int textHeight) =>
        textHeight > 0 && word.Text.Trim() is "|" or "¦" or "[" or "]" or "!" or "l" or "I" or "1" &&
        word.Box.Height >= 2 * textHeight && word.Box.Width * 3 <= word.Box.Height;

    // OCR cannot tell a typewriter apostrophe from a curly one at screen sizes; legacy screens print the plain ones
    // ("Mar 5 '19"), which is also what parsers expect.
    private static string Straighten(string text) =>
        text.Replace('\u2018', '\'').Replace('\u2019', '\'').Replace('\u201B', '\'').Replace('\u2032', '\'')
            .Replace('\u201C', '"').Replace('\u201D', '"');

    private static double Overlap(PixelRect a, PixelRect b)
    {
        var shared = a.Intersect(b);
        return shared.IsEmpty ? 0 : (double)shared.Width * shared.Height / Math.Min(a.Width * a.Height, b.Width * b.Height);
    }

    private static List<TextLine> GroupLines(IReadOnlyList<OcrWord> words)
    {
        var lines = new List<List<OcrWord>>();
        var boxes = new List<PixelRect>();
        foreach (var w in words.OrderBy(w => w.Box.CenterY))
        {
            var best = -1;
            var bestOverlap = 0.0;
            for (var i = 0; i < lines.Count; i++)
            {
                var overlap = (double)boxes[i].VerticalOverlap(w.Box) / Math.Max(1, Math.Min(boxes[i].Height, w.Box.Height));
                if (overlap >= 0.5 && overlap > bestOverlap)
                {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            if (best < 0)
            {
                lines.Add([w]);
                boxes.Add(w.Box);
            }
            else
            {
                lines[best].Add(w);
                // The band stays the first words' band so a tall neighbour cannot pull in the next row.
                boxes[best] = boxes[best] with { X = Math.Min(boxes[best].X, w.Box.X) };
            }
        }
        return lines.Select(l => new TextLine(l.OrderBy(w => w.Box.X).ToList())).OrderBy(l => l.Box.Y).ToList();
    }

    /// <summary>The vertical band a line occupies, grown to take in its cell's padding (where rules sit).</summary>
    public static PixelRect Band(TextLine line) => line.Box.Inflate(0, Math.Max(2, line.Height / 3));

    /// <summary>
    /// Whether two words of a line belong to different cells: a label's colon ends it, and a label set apart by more
    /// than a word space starts one ("7049403  DOB:" in a banner; unless <paramref name="colons"/> is false), a gap
    /// wider than a word space can be, a "|" separator, or a ruled line between them.
    /// </summary>
    public bool CellBreak(TextLine line, OcrWord left, OcrWord right, bool colons = true) =>
        (colons && left.Text.EndsWith(':')) ||
        (colons && right.Text.EndsWith(':') && Math.Max(right.Box.X - left.Box.Right, BlankColumnsBefore(left, right)) > line.Height * 0.6) ||
        right.Box.X - left.Box.Right > line.Height * 1.6 ||
        Separators.Any(s => s.X >= left.Box.Right - 1 && s.Right <= right.Box.X + 1 && s.VerticalOverlap(line.Box) > 0) ||
        Rules.VerticalBetween(Gray, left.Box.Right, right.Box.X, Band(line));

    /// <summary>
    /// The run of blank pixel columns just left of <paramref name="right"/>, at its height, back to where ink starts (or
    /// <paramref name="left"/>'s start). The recognizer's word boxes can be a few pixels too wide (a capital "T" boxed past
    /// its bar), which hides a label's gap from its value; the pixels do not.
    /// </summary>
    private int BlankColumnsBefore(OcrWord left, OcrWord right)
    {
        var band = PixelRect.FromEdges(left.Box.X, right.Box.Y, right.Box.X, right.Box.Bottom).Intersect(Gray.Bounds);
        if (band.IsEmpty)
        {
            return 0;
        }
        var background = Background(band, out _);
        var blank = 0;
        for (var x = band.Right - 1; x >= band.X; x--)
        {
            for (var y = band.Y; y < band.Bottom; y++)
            {
                if (Math.Abs(Gray[x, y] - background) > InkContrast)
                {
                    return blank;
                }
            }
            blank++;
        }
        return blank;
    }

    // Cells are asked for over and over (every text search walks every line): each line is split once per reading.
    private readonly Dictionary<(TextLine, bool), IReadOnlyList<Phrase>> _cells = [];

    /// <summary>The line split into cells (see <see cref="CellBreak"/>).</summary>
    public IReadOnlyList<Phrase> Cells(TextLine line, bool colons = true)
    {
        if (!_cells.TryGetValue((line, colons), out var cells))
        {
            cells = Split(line, colons);
            _cells[(line, colons)] = cells;
        }
        return cells;
    }

    private List<Phrase> Split(TextLine line, bool colons)
    {
        var cells = new List<Phrase>();
        var start = 0;
        for (var i = 1; i <= line.Words.Count; i++)
        {
            if (i == line.Words.Count || CellBreak(line, line.Words[i - 1], line.Words[i], colons))
            {
                cells.Add(new Phrase(line.Words.Skip(start).Take(i - start).ToList(), line));
                start = i;
            }
        }
        return colons ? SeparateRunLabels(line, cells) : cells;
    }

    /// <summary>
    /// Puts the words of a label of several words back together where the value before it ran into it. On a line of
    /// labels and values ("Pt Name: WOOD, LAURA E  Med Rec #: 8129410"), a label's own words are a word space apart and
    /// the gap before it is wider; OCR's boxes do not always show that gap wide enough for <see cref="CellBreak"/>, so a
    /// value and the next label can come out as one cell ("WOOD, LAURA E Med Rec #:") or split inside the label
    /// ("WOOD, LAURA E Med Rec" and "#:"). A right_of "Pt Name:" would then read a label's words as part of the name. Where
    /// a label follows a label's value, the widest gap between the two labels, if it is at least a text height and half
    /// again as wide as any gap after it, is where the value ends and the label starts. Labels carry no digits. A line
    /// that starts with a label split the same way ("Home" and "Ph:", a word space apart) gets it back whole.
    /// </summary>
    private static List<Phrase> SeparateRunLabels(TextLine line, List<Phrase> cells)
    {
        static bool Label(Phrase p) => p.Text.EndsWith(':') && !p.Text.Any(char.IsDigit);
        for (var i = 1; i < cells.Count; i++)
        {
            if (!cells[i].Text.EndsWith(':'))
            {
                continue;
            }
            // A line that starts with a label whose last word was set apart ("Home" and "Ph:"): the words before it are a
            // word space away and no label comes before them, so they are the label's.
            if (i == 1 && !Label(cells[0]) && !cells[0].Text.Any(char.IsDigit) &&
                cells[1].Words[0].Box.X - cells[0].Words[^1].Box.Right < line.Height)
            {
                cells[1] = new Phrase(cells[0].Words.Concat(cells[1].Words).ToList(), line);
                cells.RemoveAt(0);
                i = 0;
                continue;
            }
            // The words between the previous label and this label's colon: this cell's own, or the value cell's too.
            var joined = !Label(cells[i - 1]);
            if (joined && (i < 2 || !Label(cells[i - 2])))
            {
                continue;
            }
            var words = joined ? cells[i - 1].Words.Concat(cells[i].Words).ToList() : cells[i].Words.ToList();
            if (words.Count < 2)
            {
                continue;
            }
            var gaps = Enumerable.Range(1, words.Count - 1).Select(k => words[k].Box.X - words[k - 1].Box.Right).ToList();
            var at = gaps.IndexOf(gaps.Max()) + 1;
            var after = gaps.Skip(at).DefaultIfEmpty(0).Max();
            var label = words.Skip(at).ToList();
            var unchanged = joined && at == cells[i - 1].Words.Count;
            if (unchanged || gaps[at - 1] < line.Height || gaps[at - 1] < 1.5 * after || label.Any(w => w.Text.Any(char.IsDigit)))
            {
                continue;
            }
            var value = new Phrase(words.Take(at).ToList(), line);
            if (joined)
            {
                cells[i - 1] = value;
                cells[i] = new Phrase(label, line);
            }
            else
            {
                cells[i] = new Phrase(label, line);
                cells.Insert(i, value);
                i++;
            }
        }
        return cells;
    }

    /// <summary>
    /// Whether something is drawn inside <paramref name="region"/> (its edges left out, where rules run): pixels far
    /// from the region's commonest grey. An empty-looking cell with ink in it is text OCR missed, not an empty value.
    /// </summary>
    public bool HasInk(PixelRect region)
    {
        var r = region.Inflate(-2, -2).Intersect(Gray.Bounds);
        if (r.IsEmpty)
        {
            return false;
        }
        var background = Background(r, out var histogram);
        var ink = 0;
        for (var v = 0; v < 256; v++)
        {
            if (Math.Abs(v - background) > InkContrast)
            {
                ink += histogram[v];
            }
        }
        return ink >= MinInkPixels;
    }

    // The commonest grey of a region: its background.
    private int Background(PixelRect region, out int[] histogram)
    {
        histogram = new int[256];
        for (var y = region.Y; y < region.Bottom; y++)
        {
            for (var x = region.X; x < region.Right; x++)
            {
                histogram[Gray[x, y]]++;
            }
        }
        return Array.IndexOf(histogram, histogram.Max());
    }

    private const int InkContrast = 80;
    // Fewer dark pixels than this are dust (a rule's anti-aliased end), not a glyph.
    private const int MinInkPixels = 8;
}

/// <summary>Words on one line, left to right.</summary>
internal sealed class TextLine
{
    public TextLine(IReadOnlyList<OcrWord> words)
    {
        Words = words;
        Box = words.Aggregate(default(PixelRect), (box, w) => box.Union(w.Box));
        var heights = words.Select(w => w.Box.Height).Order().ToList();
        Height = heights[heights.Count / 2];
    }

    public IReadOnlyList<OcrWord> Words { get; }

    public PixelRect Box { get; }

    /// <summary>The median word height: the line's text size.</summary>
    public int Height { get; }
}

/// <summary>Consecutive words of one line read together: a label, a value, a cell.</summary>
internal sealed class Phrase(IReadOnlyList<OcrWord> words, TextLine line)
{
    public IReadOnlyList<OcrWord> Words { get; } = words;

    public TextLine Line { get; } = line;

    public PixelRect Box { get; } = words.Aggregate(default(PixelRect), (box, w) => box.Union(w.Box));

    /// <summary>The words joined by single spaces. It may be PHI.</summary>
    public string Text { get; } = string.Join(' ', words.Select(w => w.Text));

    /// <summary>The least confident word's confidence: a value is only as good as its weakest word.</summary>
    public double Confidence => Words.Count == 0 ? 0 : Words.Min(w => w.Confidence);
}
