using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>A body cell as OCR read it: where it is, and its weakest word's confidence (1 when empty).</summary>
internal sealed record OcrCell(int Row, int Column, double Confidence, PixelRect Box);

/// <summary>A table read from a screen, with every body cell's confidence.</summary>
internal sealed record OcrTable(UiTable Table, IReadOnlyList<OcrCell> Cells);

/// <summary>
/// Rebuilds a table from word boxes. Rows come from ruled lines where the table has them (a cell may then hold several
/// lines of text), else one row per text line; columns come from the header row: its vertical rules, else its cells'
/// x-ranges. Words go to the column holding their centre.
/// </summary>
internal static class TableReader
{
    // How far (in text heights) a heading may be above its table, and a row below the previous one in an unruled table.
    private const int HeadingReach = 8;
    private const double UnruledRowGap = 1.5;
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
        var top = rules.LastOrDefault(r => r.Position < header.Box.Y);
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
        var headers = Texts(screen, headerBand, columns);
        var body = new Body();
        for (var i = 1; i + 1 < dividers.Count; i++)
        {
            var band = PixelRect.FromEdges(left, dividers[i] + 1, right, dividers[i + 1]);
            var inner = Rules.Vertical(screen.Gray, band.Inflate(0, -1), 0.8);
            var spans = columns.Count > 2 && !columns.Skip(1).SkipLast(1).Any(c => inner.Any(r => Math.Abs(r.Position - c) <= 2));
            // A row whose cell dividers stop (a cell spanning the table: "No known problems") is one cell, as the screen shows it.
            body.Add(screen, band, spans ? [left, right] : columns);
        }
        return new OcrTable(new UiTable(headers, body.Rows), body.Cells);
    }

    private static OcrTable Unruled(ScreenText screen, TextLine header)
    {
        var columns = CellColumns(screen, header, 0, screen.Gray.Width);
        var headers = Texts(screen, ScreenText.Band(header), columns);
        var body = new Body();
        var previous = header;
        foreach (var line in screen.Lines.Where(l => l.Box.Y > header.Box.Bottom))
        {
            if (line.Box.Y - previous.Box.Bottom > UnruledRowGap * header.Height)
            {
                break;
            }
            body.Add(screen, ScreenText.Band(line), columns);
            previous = line;
        }
        return new OcrTable(new UiTable(headers, body.Rows), body.Cells);
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

    private static List<List<OcrWord>> Split(ScreenText screen, PixelRect band, List<int> columns)
    {
        var words = Inside(screen, band);
        var cells = new List<List<OcrWord>>();
        for (var c = 0; c + 1 < columns.Count; c++)
        {
            cells.Add(words.Where(w => w.Box.CenterX > columns[c] && w.Box.CenterX < columns[c + 1]).ToList());
        }
        return cells;
    }

    private static List<string> Texts(ScreenText screen, PixelRect band, List<int> columns) =>
        Split(screen, band, columns).Select(Join).ToList();

    private sealed class Body
    {
        public List<IReadOnlyList<string>> Rows { get; } = [];

        public List<OcrCell> Cells { get; } = [];

        public void Add(ScreenText screen, PixelRect band, List<int> columns)
        {
            var cells = Split(screen, band, columns);
            for (var c = 0; c < cells.Count; c++)
            {
                var box = PixelRect.FromEdges(columns[c], band.Y, columns[c + 1], band.Bottom);
                Cells.Add(new OcrCell(Rows.Count, c, cells[c].Count == 0 ? 1 : cells[c].Min(w => w.Confidence), box));
            }
            Rows.Add(cells.Select(Join).ToList());
        }
    }

    private static List<OcrWord> Inside(ScreenText screen, PixelRect band) =>
        screen.Words.Where(w => band.Contains(w.Box.CenterX, w.Box.CenterY)).ToList();

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
