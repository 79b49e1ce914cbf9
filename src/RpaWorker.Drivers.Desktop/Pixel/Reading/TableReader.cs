using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>A cell as OCR read it: its text, its weakest word's confidence (1 when no word), and where it is.</summary>
internal sealed record OcrCell(string Text, double Confidence, PixelRect Box)
{
    /// <summary>
    /// The boxes of the cell's words together, or empty when it has none. A glyph can reach past the column's edge (the
    /// foot of a "/" that starts a cell), so a crop of the cell alone must still hold all of this.
    /// </summary>
    public PixelRect Ink { get; init; }
}

/// <summary>The fixed geometry of a list view: its column boundaries, the top of its body and its text height.</summary>
internal sealed record ListLayout(IReadOnlyList<int> Columns, int Top, int LineHeight);

/// <summary>A table read from a screen, cell by cell.</summary>
internal sealed record OcrTable(IReadOnlyList<OcrCell> Headers, IReadOnlyList<IReadOnlyList<OcrCell>> Rows)
{
    /// <summary>
    /// For a list whose rows are text lines under a fixed header (a list view): where its columns divide, where its
    /// body starts and its text height, so the rows can be read again after it scrolled (<see cref="TableReader.ReadBody"/>)
    /// without reading the header again. Null for a table ruled row by row.
    /// </summary>
    public ListLayout? Layout { get; init; }


    public UiTable ToUiTable() =>
        new(Headers.Select(c => c.Text).ToList(), Rows.Select(r => (IReadOnlyList<string>)r.Select(c => c.Text).ToList()).ToList());
}

/// <summary>
/// Rebuilds a table from word boxes. Rows come from ruled lines where the table has them (a cell may then hold several
/// lines of text), else one row per text line; columns come from the header row: its vertical rules, else its cells'
/// x-ranges. Words go to the column holding their centre.
/// </summary>
internal static class TableReader
{
    // How far (in text heights) a heading may be above its table, and a row below the previous one in an unruled table
    // (a GTK list view's rows are 2.5 text heights apart: 1.6 heights of space between lines).
    private const int HeadingReach = 8;
    private const double UnruledRowGap = 2.5;
    private const int RuleSlack = 4;

    /// <summary>
    /// The table whose header row holds <paramref name="anchor"/> or, when <paramref name="anchorIsHeading"/>, the first
    /// row of several cells below it. Null when there is no such row.
    /// </summary>
    public static OcrTable? Read(ScreenText screen, Phrase anchor, bool anchorIsHeading)
    {
        var header = anchorIsHeading
            ? screen.Lines.FirstOrDefault(l => l.Box.Y >= anchor.Line.Box.Bottom - 1 && l != anchor.Line &&
                l.Box.Y - anchor.Line.Box.Bottom <= HeadingReach * anchor.Line.Height && screen.Cells(l).Count >= 2)
            : anchor.Line;
        if (header is null)
        {
            return null;
        }
        var g = screen.Gray;
        var h = header.Height;
        var rules = Rules.Horizontal(g, PixelRect.FromEdges(0, Math.Max(0, header.Box.Y - 3 * h), g.Width, g.Height), Math.Max(40, header.Box.Width / 2))
            .Where(r => r.Start <= header.Box.X + RuleSlack && r.End >= header.Box.Right - RuleSlack)
            .ToList();
        // The rule just above the header's middle: a header cell of two lines, or a stray mark OCR took for a word,
        // can make the line's box start above the table itself.
        var top = rules.LastOrDefault(r => r.Position < header.Box.CenterY);
        return top.Length > 0 && top.Position >= header.Box.Y - 2 * h - RuleSlack
            ? Ruled(screen, header, top, rules.Where(r => r.Position > header.Box.CenterY).ToList())
            : Unruled(screen, header);
    }

    private static OcrTable Ruled(ScreenText screen, TextLine header, Rule top, List<Rule> below)
    {
        var h = header.Height;
        // Row dividers: rules of the table's width, each within a few text heights of the one before.
        var dividers = new List<int> { top.Position };
        foreach (var r in below)
        {
            if (Math.Abs(r.Start - top.Start) > RuleSlack || Math.Abs(r.End - top.End) > RuleSlack)
            {
                continue;
            }
            if (r.Position - dividers[^1] > HeadingReach * h)
            {
                break;
            }
            dividers.Add(r.Position);
        }
        var left = top.Start;
        var right = top.End;
        if (dividers.Count < 2)
        {
            return Unruled(screen, header);
        }
        var headerBand = PixelRect.FromEdges(left, dividers[0] + 1, right, dividers[1]);
        var columns = Rules.Vertical(screen.Gray, headerBand.Inflate(0, -1), 0.8).Select(r => r.Position).ToList();
        if (columns.Count == 0 || columns[0] - left > RuleSlack)
        {
            columns.Insert(0, left);
        }
        if (right - columns[^1] > RuleSlack)
        {
            columns.Add(right);
        }
        if (columns.Count < 3)
        {
            // No inner rules: the header's cells give the columns.
            columns = CellColumns(screen, header, left, right);
        }
        var headers = Cells(screen, headerBand, columns);
        if (dividers.Count == 2)
        {
            // Only the header is ruled (a list view's header bar over rows that are not): one row per text line below it.
            return new OcrTable(headers, LineRows(screen, dividers[1], header.Height, columns)) { Layout = new ListLayout(columns, dividers[1], header.Height) };
        }
        var rows = new List<IReadOnlyList<OcrCell>>();
        for (var i = 1; i + 1 < dividers.Count; i++)
        {
            var band = PixelRect.FromEdges(left, dividers[i] + 1, right, dividers[i + 1]);
            var inner = Rules.Vertical(screen.Gray, band.Inflate(0, -1), 0.8);
            var spans = columns.Count > 2 && !columns.Skip(1).SkipLast(1).Any(c => inner.Any(r => Math.Abs(r.Position - c) <= 2));
            // A row whose cell dividers stop (a cell spanning the table: "No known problems") is one cell, as the screen shows it.
            rows.Add(Cells(screen, band, spans ? [left, right] : columns));
        }
        return new OcrTable(headers, rows);
    }

    private static OcrTable Unruled(ScreenText screen, TextLine header)
    {
        var columns = CellColumns(screen, header, 0, screen.Gray.Width);
        return new OcrTable(Cells(screen, ScreenText.Band(header), columns), LineRows(screen, header.Box.Bottom, header.Height, columns))
        {
            Layout = new ListLayout(columns, header.Box.Bottom, header.Height),
        };
    }

    /// <summary>The body rows of a list laid out as <paramref name="layout"/> says, as the screen shows them now.</summary>
    public static List<IReadOnlyList<OcrCell>> ReadBody(ScreenText screen, ListLayout layout) =>
        LineRows(screen, layout.Top, layout.LineHeight, [.. layout.Columns]);

    // Rows of an unruled body: each text line below `top`, until a gap wider than a row's.
    private static List<IReadOnlyList<OcrCell>> LineRows(ScreenText screen, int top, int lineHeight, List<int> columns)
    {
        var rows = new List<IReadOnlyList<OcrCell>>();
        var previous = top;
        foreach (var line in screen.Lines.Where(l => l.Box.Y > top))
        {
            if (line.Box.Y - previous > UnruledRowGap * lineHeight)
            {
                break;
            }
            rows.Add(Cells(screen, ScreenText.Band(line), columns));
            previous = line.Box.Bottom;
        }
        return rows;
    }

    // Column boundaries from the header's cells: each column runs from just before its header to just before the next.
    private static List<int> CellColumns(ScreenText screen, TextLine header, int left, int right)
    {
        var cells = screen.Cells(header);
        var columns = new List<int> { left };
        columns.AddRange(cells.Skip(1).Select(c => c.Box.X - RuleSlack));
        columns.Add(right);
        return columns;
    }

    private static List<OcrCell> Cells(ScreenText screen, PixelRect band, List<int> columns)
    {
        var words = Inside(screen, band);
        var cells = new List<OcrCell>();
        for (var c = 0; c + 1 < columns.Count; c++)
        {
            var inside = words.Where(w => w.Box.CenterX > columns[c] && w.Box.CenterX < columns[c + 1]).ToList();
            var box = PixelRect.FromEdges(columns[c], band.Y, columns[c + 1], band.Bottom);
            cells.Add(new OcrCell(Join(inside), inside.Count == 0 ? 1 : inside.Min(w => w.Confidence), box)
            {
                Ink = inside.Aggregate(default(PixelRect), (ink, w) => ink.Union(w.Box)),
            });
        }
        return cells;
    }

    /// <summary>A word of nothing but bars is a column divider drawn as a line (a list view's header), not text.</summary>
    public static bool IsDivider(OcrWord word) => word.Text.All(c => c is '|' or '¦');

    private static List<OcrWord> Inside(ScreenText screen, PixelRect band) =>
        screen.Words.Where(w => band.Contains(w.Box.CenterX, w.Box.CenterY) && !IsDivider(w)).ToList();

    // Words in reading order: by line (boxes sharing their vertical span), then left to right.
    private static string Join(IEnumerable<OcrWord> words)
    {
        var lines = new List<List<OcrWord>>();
        foreach (var w in words.OrderBy(w => w.Box.CenterY))
        {
            var line = lines.FirstOrDefault(l => l[0].Box.VerticalOverlap(w.Box) * 2 >= Math.Min(l[0].Box.Height, w.Box.Height));
            if (line is null)
            {
                lines.Add([w]);
            }
            else
            {
                line.Add(w);
            }
        }
        return string.Join(' ', lines.SelectMany(l => l.OrderBy(w => w.Box.X)).Select(w => w.Text));
    }
}
