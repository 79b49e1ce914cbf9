using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>
/// Fingerprints of what targets resolve to on a screen known only by OCR, and the candidates for a target that no
/// longer resolves (see docs/self-healing.md), over one reading of one window. They are shaped like the web and AT-SPI
/// drivers' so the engine's scorer weighs them alike: the label is the text a playbook would write (the label cell
/// before or above a value or a field, a button's or tab's words, a table's heading), nearby texts are the label cells
/// around a value (the other captions of a strip for a control), the path is the line and cell the element is in, the
/// position its centre across and down the window, and <see cref="UiFingerprint.Words"/> the label and heading cells
/// in a wider area around it. A value's own text is never kept: it is PHI, and on pixels a value cannot be told from
/// a caption by its look, so only cells whose place says they are structure are kept: labels (short, ending in a
/// colon, no digits), the cells of a caption strip, a table's header row, a heading line over labels or a table.
/// </summary>
internal sealed class PixelFingerprints
{
    // How far around an element (in text heights) its nearby labels, and the wider words, are looked for.
    private const int NearbyReach = 3;
    private const int WordsReach = 8;
    private const int MaxTexts = 24;
    // How far a button's frame may be from its caption on either side.
    private const int ButtonReach = 100;

    private readonly ScreenText _screen;
    private readonly List<List<Phrase>> _cells;

    public PixelFingerprints(ScreenText screen)
    {
        _screen = screen;
        _cells = screen.Lines.Select(l => SplitLabels(screen.Cells(l))).ToList();
    }

    /// <summary>
    /// The line's cells, with a label cell that stands where the previous label's value goes split in two: OCR found no
    /// cell break between the value and the next label ("NAME T  MRN:" in a bold banner, set closer than the break needs),
    /// so the words before the widest gap are the value. A label must hold nothing but itself: it is kept in heal files.
    /// </summary>
    private static List<Phrase> SplitLabels(IReadOnlyList<Phrase> cells)
    {
        var split = new List<Phrase>(cells.Count);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            if (i == 0 || cell.Words.Count < 2 || !LabelLike(cell.Text) || !LabelLike(cells[i - 1].Text))
            {
                split.Add(cell);
                continue;
            }
            var at = Enumerable.Range(1, cell.Words.Count - 1).MaxBy(w => cell.Words[w].Box.X - cell.Words[w - 1].Box.Right);
            split.Add(new Phrase(cell.Words.Take(at).ToList(), cell.Line));
            split.Add(new Phrase(cell.Words.Skip(at).ToList(), cell.Line));
        }
        return split;
    }

    /// <summary>Labels name things; they are short, end with a colon and carry no digits (dates, ids and counts do).</summary>
    public static bool LabelLike(string text) => text.Length is > 1 and <= 40 && text.EndsWith(':') && !text.Any(char.IsDigit);

    /// <summary>Captions (buttons, tabs, column headers, headings): short, no digits, not a label.</summary>
    public static bool CaptionLike(string text) => text.Length is > 0 and <= 40 && !text.EndsWith(':') && !text.Any(char.IsDigit) && text.Any(char.IsLetter);

    /// <summary>What a locator finds on pixels: a table by its heading, a field by its label, a value by its label, else a control.</summary>
    public UiElementKind KindOf(UiLocator locator) => locator.Kind switch
    {
        LocatorKind.NearHeading => UiElementKind.Table,
        LocatorKind.Label => UiElementKind.Field,
        LocatorKind.Role when TargetResolver.FieldRoles.Contains(locator.Value) => UiElementKind.Field,
        LocatorKind.RightOf or LocatorKind.Below => UiElementKind.Value,
        // A table is also found by a header cell's text (the mock's pixel playbook finds its patient list so).
        LocatorKind.Text or LocatorKind.OcrText when HeaderTable(locator) is not null => UiElementKind.Table,
        _ => UiElementKind.Control,
    };

    /// <summary>The fingerprint of what the locator resolves to now, or null when it resolves to nothing or to several without an index.</summary>
    public UiFingerprint? Of(UiLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        switch (KindOf(locator))
        {
            case UiElementKind.Table:
                return (locator.Kind == LocatorKind.NearHeading ? HeadingTable(locator) : HeaderTable(locator)) is { } table
                    ? TablePrint(table.Heading, table.Table)
                    : null;
            case UiElementKind.Control:
                var text = locator.Kind == LocatorKind.Role ? locator.Name : locator.Value;
                if (text is null || TargetResolver.Resolve(_screen, locator, TargetUse.Click).Unsupported is not null)
                {
                    return null;
                }
                var found = PhraseFinder.FindInCells(_screen, text, locator.Exact, labelLike: false);
                return Picked(found.Count, locator) is >= 0 and var one ? ControlPrint(found[one].Match.Text, found[one].Cell) : null;
            case var kind:
                var use = kind == UiElementKind.Field ? TargetUse.Fill : TargetUse.Read;
                var (matches, unsupported) = TargetResolver.Resolve(_screen, locator, use);
                if (unsupported is not null || Picked(matches.Count, locator) is not (>= 0 and var at))
                {
                    return null;
                }
                var match = matches[at];
                var written = locator.Kind == LocatorKind.Role ? locator.Name! : locator.Value;
                var label = PhraseFinder.Find(_screen, written, locator.Exact, labelLike: true).FirstOrDefault(p => Within(p.Box, match.Evidence));
                return label is null ? null : LabelledPrint(kind, label, match.Box);
        }
    }

    /// <summary>The candidates of <paramref name="kind"/>, each with a locator the pixel driver resolves to it alone, written like <paramref name="like"/> where it can be.</summary>
    public List<UiCandidate> Candidates(UiElementKind kind, UiLocator like) => kind switch
    {
        UiElementKind.Value => Values(like.Kind == LocatorKind.Below ? LocatorKind.Below : LocatorKind.RightOf),
        UiElementKind.Field => Fields(),
        // A click written by a label (a list's row clicked by the cell under its column header) looks for the cell again.
        UiElementKind.Control when like.Kind is LocatorKind.Below or LocatorKind.RightOf => [.. Controls(like), .. Values(like.Kind)],
        UiElementKind.Control => Controls(like),
        _ => Tables(like),
    };

    // Labelled values: every label cell and what right_of (or below) finds for it, unless that is another label. Under
    // a table's column headers, below finds the first row's cells.
    private List<UiCandidate> Values(LocatorKind by)
    {
        var found = new List<UiCandidate>();
        var headers = by == LocatorKind.Below ? _cells.Where((_, i) => HeaderRow(i)).SelectMany(c => c) : [];
        foreach (var label in Labels().Concat(headers))
        {
            // Written as playbooks write labels (not exact): a label run into the value before it is found only so.
            var locator = new UiLocator(by, label.Text);
            var matches = TargetResolver.Resolve(_screen, locator, TargetUse.Read).Matches;
            var at = matches.FindIndex(m => Within(label.Box, m.Evidence) && !m.Box.IsEmpty);
            if (at >= 0 && !LabelLike(matches[at].Text))
            {
                found.Add(new UiCandidate(LabelledPrint(UiElementKind.Value, label, matches[at].Box), Indexed(locator, at, matches.Count)));
            }
        }
        return found;
    }

    // Fields: every label cell with an input box right of or under it.
    private List<UiCandidate> Fields()
    {
        var found = new List<UiCandidate>();
        foreach (var label in Labels())
        {
            var locator = new UiLocator(LocatorKind.Label, label.Text);
            var matches = TargetResolver.Resolve(_screen, locator, TargetUse.Fill).Matches;
            var at = matches.FindIndex(m => Within(label.Box, m.Evidence));
            if (at >= 0)
            {
                found.Add(new UiCandidate(LabelledPrint(UiElementKind.Field, label, matches[at].Box), Indexed(locator, at, matches.Count)));
            }
        }
        return found;
    }

    // Controls: framed captions (buttons) and the captions of strips (tabs, tool bars). A target written with a role
    // keeps its role: the pixel driver finds a role by its name's text.
    private List<UiCandidate> Controls(UiLocator like)
    {
        var found = new List<UiCandidate>();
        foreach (var cell in ControlCells())
        {
            var locator = like.Kind == LocatorKind.Role && like.Name is not null && !TargetResolver.FieldRoles.Contains(like.Value)
                ? new UiLocator(LocatorKind.Role, like.Value, cell.Text, Exact: true)
                : new UiLocator(LocatorKind.Text, cell.Text, Exact: true);
            var matches = PhraseFinder.FindInCells(_screen, cell.Text, exact: true, labelLike: false);
            var at = matches.FindIndex(m => m.Match.Box == cell.Box);
            if (at >= 0)
            {
                found.Add(new UiCandidate(ControlPrint(cell.Text, cell), Indexed(locator, at, matches.Count)));
            }
        }
        return found;
    }

    // Tables: each header row, found by the heading over it when there is one (near_heading), else by its first header.
    private List<UiCandidate> Tables(UiLocator like)
    {
        var found = new List<UiCandidate>();
        for (var i = 0; i < _cells.Count; i++)
        {
            if (!HeaderRow(i) || TableReader.Read(_screen, _cells[i][0], anchorIsHeading: false) is not { Rows.Count: > 0 } table)
            {
                continue;
            }
            UiLocator? locator = null;
            Phrase? heading = null;
            if (HeadingOver(i) is { } above && like.Kind != LocatorKind.Text)
            {
                var tables = PhraseFinder.Find(_screen, above.Text, exact: true, labelLike: false)
                    .Select(p => TableReader.Read(_screen, p, anchorIsHeading: true)).ToList();
                var at = tables.FindIndex(t => t is not null && t.Headers.Count == table.Headers.Count && t.Headers[0].Box == table.Headers[0].Box);
                if (at >= 0)
                {
                    (locator, heading) = (Indexed(new UiLocator(LocatorKind.NearHeading, above.Text, Exact: true), at, tables.Count), above);
                }
            }
            if (locator is null)
            {
                var first = _cells[i][0];
                var anchors = PhraseFinder.Find(_screen, first.Text, exact: true, labelLike: false);
                var at = anchors.FindIndex(p => p.Box == first.Box);
                if (at < 0)
                {
                    continue;
                }
                locator = Indexed(new UiLocator(LocatorKind.Text, first.Text, Exact: true), at, anchors.Count);
                heading = HeadingOver(i);
            }
            found.Add(new UiCandidate(TablePrint(heading, table), locator));
        }
        return found;
    }

    // A labelled element's path is its label's place among the labels of its line ("window/line[1]/label[2]": the third
    // label of the banner), not the cell it is in: the cells of a line of labels and values move with the values' lengths
    // and with how OCR splits them, while the order of the labels is the screen's own and outlives a rename. A column
    // header (below) keeps its cell: every cell of a header row is one.
    private UiFingerprint LabelledPrint(UiElementKind kind, Phrase label, PixelRect element)
    {
        var line = LineOf(label);
        // Counted by the words that end a label, so a label OCR ran into the value before it counts as well.
        var ordinal = _screen.Lines[line].Words.Count(w => w.Box.Right <= label.Box.X && LabelLike(w.Text));
        var print = Print(kind, kind == UiElementKind.Field ? "textbox" : "text", label.Text, element, line, CellIndex(line, element));
        return print with
        {
            Path = LabelLike(label.Text) ? $"window/line[{line}]/label[{ordinal}]" : print.Path,
            Nearby = Around(line, NearbyReach, headings: false),
            Words = Around(line, WordsReach, headings: true),
        };
    }

    private UiFingerprint ControlPrint(string name, Phrase cell)
    {
        var line = LineOf(cell);
        var strip = ControlCells().Where(c => c.Line == cell.Line && c.Box != cell.Box).Select(c => c.Text);
        return Print(UiElementKind.Control, "text", name, cell.Box, line, CellIndex(line, cell.Box)) with
        {
            Nearby = strip.Distinct(StringComparer.Ordinal).Take(MaxTexts).ToList(),
            Words = Around(line, WordsReach, headings: true),
        };
    }

    private UiFingerprint TablePrint(Phrase? heading, OcrTable table)
    {
        var box = table.Headers.Concat(table.Rows.SelectMany(r => r)).Aggregate(default(PixelRect), (b, c) => b.Union(c.Box));
        var line = _screen.Lines.Select((l, i) => (l, i)).FirstOrDefault(x => x.l.Box.VerticalOverlap(table.Headers[0].Box) > 0).i;
        return Print(UiElementKind.Table, "table", heading?.Text ?? "", box, line, null) with
        {
            Headers = table.Headers.Select(h => h.Text).Where(CaptionLike).ToList(),
            Words = Around(line, WordsReach, headings: true),
        };
    }

    private UiFingerprint Print(UiElementKind kind, string role, string label, PixelRect box, int line, int? cell)
    {
        var (width, height) = (_screen.Gray.Width, _screen.Gray.Height);
        return new UiFingerprint
        {
            Kind = kind,
            Role = role,
            Label = label,
            Path = cell is { } c ? $"window/line[{line}]/cell[{c}]" : $"window/line[{line}]",
            X = width <= 0 ? 0 : Math.Clamp((double)box.CenterX / width, 0, 1),
            Y = height <= 0 ? 0 : Math.Clamp((double)box.CenterY / height, 0, 1),
        };
    }

    /// <summary>
    /// Label cells (and, with <paramref name="headings"/>, heading lines, then the captions of buttons and strips) on the
    /// lines within <paramref name="reach"/> text heights of line <paramref name="at"/>, nearest lines first, then left to right.
    /// </summary>
    private List<string> Around(int at, int reach, bool headings)
    {
        var centre = _screen.Lines[at];
        var span = reach * centre.Height;
        var texts = new List<string>();
        var near = Enumerable.Range(0, _cells.Count)
            .Where(i => Math.Abs(_screen.Lines[i].Box.CenterY - centre.Box.CenterY) <= span)
            .OrderBy(i => Math.Abs(i - at)).ThenBy(i => i);
        var controls = new List<string>();
        foreach (var i in near)
        {
            texts.AddRange(_cells[i].Where(c => LabelLike(c.Text)).Select(c => c.Text));
            if (headings && Heading(i))
            {
                texts.Add(_cells[i][0].Text);
            }
            if (headings)
            {
                controls.AddRange(ControlCells().Where(c => c.Line == _screen.Lines[i]).Select(c => c.Text));
            }
        }
        // The captions of strips and buttons after the labels and headings: a tab strip alone would fill the list.
        texts.AddRange(controls);
        return texts.Distinct(StringComparer.Ordinal).Take(MaxTexts).ToList();
    }

    private IEnumerable<Phrase> Labels() => _cells.SelectMany(cells => cells.Where(c => LabelLike(c.Text)));

    private List<Phrase>? _controls;

    /// <summary>
    /// Captions that act: framed ones (buttons), and those of strips: lines of two or more captions where every other
    /// cell is a label or the value right of one (a tool bar with "User: NAME" on it). A table's rows are not strips:
    /// they carry codes and dates.
    /// </summary>
    private List<Phrase> ControlCells()
    {
        if (_controls is not null)
        {
            return _controls;
        }
        _controls = [];
        foreach (var cells in _cells)
        {
            var captions = cells.Where((c, i) => CaptionLike(c.Text) && (i == 0 || !LabelLike(cells[i - 1].Text))).ToList();
            var strip = captions.Count >= 2 && cells.Select((c, i) => CaptionLike(c.Text) || LabelLike(c.Text) || (i > 0 && LabelLike(cells[i - 1].Text))).All(ok => ok);
            _controls.AddRange(strip ? captions : captions.Where(Framed));
        }
        return _controls;
    }

    /// <summary>
    /// A button: a frame above and under the caption, around it alone and with the caption in its middle. A grid's cell
    /// shares its rules with the cells beside it; an input box holds its text at its left.
    /// </summary>
    private bool Framed(Phrase cell)
    {
        var g = _screen.Gray;
        var (box, h) = (cell.Box, cell.Line.Height);
        var (from, to) = (Math.Max(0, box.X - ButtonReach), Math.Min(g.Width, box.Right + ButtonReach));
        bool Spans(Rule r) => r.Start <= box.X && r.End >= box.Right;
        var above = Rules.Horizontal(g, PixelRect.FromEdges(from, Math.Max(0, box.Y - 2 * h), to, box.Y), box.Width).LastOrDefault(Spans);
        var below = Rules.Horizontal(g, PixelRect.FromEdges(from, box.Bottom, to, Math.Min(g.Height, box.Bottom + 2 * h)), box.Width).FirstOrDefault(Spans);
        if (above.Length == 0 || below.Length == 0)
        {
            return false;
        }
        var (left, right) = (Math.Max(above.Start, below.Start), Math.Min(above.End, below.End));
        var centred = Math.Abs((box.X - left) - (right - box.Right)) <= Math.Max(8, (right - left) / 4);
        var alone = !_cells[LineOf(cell)].Any(c => c.Box != box && c.Box.Right > left && c.Box.X < right);
        return centred && alone;
    }

    // A header row: two or more captions, the line above not part of the same table (a row of it would be read as a header).
    private bool HeaderRow(int i)
    {
        var cells = _cells[i];
        if (cells.Count < 2 || !cells.All(c => CaptionLike(c.Text)))
        {
            return false;
        }
        return i == 0 || _cells[i - 1].Count < 2 ||
            _screen.Lines[i].Box.Y - _screen.Lines[i - 1].Box.Bottom > 2.5 * _screen.Lines[i].Height;
    }

    /// <summary>The heading over the header row at line <paramref name="i"/>: the nearest heading line above it, within a few text heights.</summary>
    private Phrase? HeadingOver(int i)
    {
        for (var j = i - 1; j >= 0 && _screen.Lines[i].Box.Y - _screen.Lines[j].Box.Bottom <= 8 * _screen.Lines[i].Height; j--)
        {
            if (_cells[j].Count == 1 && CaptionLike(_cells[j][0].Text))
            {
                return _cells[j][0];
            }
        }
        return null;
    }

    /// <summary>
    /// A heading line: one caption alone on its line, with labels or a table's header row on the next line. A line of
    /// free text (a note) is followed by more of it, and a value under its label (a label above with nothing right of
    /// it) is what <c>below</c> reads, so neither is taken.
    /// </summary>
    private bool Heading(int i) =>
        _cells[i].Count == 1 && CaptionLike(_cells[i][0].Text) && i + 1 < _cells.Count &&
        (_cells[i + 1].Any(c => LabelLike(c.Text)) || HeaderRow(i + 1)) && !UnderALabel(i, _cells[i][0]);

    private bool UnderALabel(int i, Phrase cell)
    {
        if (i == 0)
        {
            return false;
        }
        var above = _cells[i - 1];
        return above.Where((c, k) => LabelLike(c.Text) && c.Box.HorizontalOverlap(cell.Box) > 0 && (k + 1 == above.Count || LabelLike(above[k + 1].Text))).Any();
    }

    /// <summary>The table whose header row holds the text the locator names (a text locator on a header cell).</summary>
    private (Phrase? Heading, OcrTable Table)? HeaderTable(UiLocator locator)
    {
        var anchors = PhraseFinder.Find(_screen, locator.Value, locator.Exact, labelLike: false);
        if (Picked(anchors.Count, locator) is not (>= 0 and var at))
        {
            return null;
        }
        var anchor = anchors[at];
        var line = LineOf(anchor);
        return HeaderRow(line) && TableReader.Read(_screen, anchor, anchorIsHeading: false) is { Rows.Count: > 0 } table
            && table.Rows[0].Count(c => c.Text.Length > 0) >= 2
            ? (HeadingOver(line), table)
            : null;
    }

    private (Phrase? Heading, OcrTable Table)? HeadingTable(UiLocator locator)
    {
        var tables = PhraseFinder.Find(_screen, locator.Value, locator.Exact, labelLike: false)
            .Select(h => (Heading: (Phrase?)h, Table: TableReader.Read(_screen, h, anchorIsHeading: true)))
            .Where(t => t.Table is not null)
            .Select(t => (t.Heading, Table: t.Table!))
            .ToList();
        return Picked(tables.Count, locator) is >= 0 and var at ? tables[at] : null;
    }

    private int LineOf(Phrase phrase)
    {
        for (var i = 0; i < _screen.Lines.Count; i++)
        {
            if (ReferenceEquals(_screen.Lines[i], phrase.Line))
            {
                return i;
            }
        }
        return Math.Max(0, _screen.Lines.Select((l, i) => (l, i)).OrderBy(x => Math.Abs(x.l.Box.CenterY - phrase.Box.CenterY)).First().i);
    }

    // The place of the cell holding the element's centre on the line, or of the last cell before it (a field's box holds no words).
    private int CellIndex(int line, PixelRect element)
    {
        var cells = _cells[line];
        var at = cells.FindIndex(c => c.Box.HorizontalOverlap(element) > 0);
        return at >= 0 ? at : cells.Count(c => c.Box.Right <= element.CenterX);
    }

    private static bool Within(PixelRect inner, PixelRect outer) =>
        inner.X >= outer.X && inner.Y >= outer.Y && inner.Right <= outer.Right && inner.Bottom <= outer.Bottom;

    private static UiLocator Indexed(UiLocator locator, int at, int count) => count > 1 ? locator with { Index = at } : locator;

    /// <summary>Which of <paramref name="count"/> matches the locator means: its index, else the only one; -1 for none.</summary>
    private static int Picked(int count, UiLocator locator) =>
        locator.Index is { } index ? (index >= 0 && index < count ? index : -1) : count == 1 ? 0 : -1;
}
