namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>Finds the phrases on a screen that best match a text (see <see cref="TextMatch"/> for the ranking).</summary>
internal static class PhraseFinder
{
    /// <summary>The matches of the best rank found, top to bottom, left to right; empty when nothing matches.</summary>
    public static List<Phrase> Find(ScreenText screen, string wanted, bool exact, bool labelLike) =>
        FindInCells(screen, wanted, exact, labelLike).Select(m => m.Match).ToList();

    /// <summary>
    /// Like <see cref="Find"/>, with the whole cell each match is in: "Search" matches a word, and its cell is "Patient Search".
    /// </summary>
    public static List<(Phrase Match, Phrase Cell)> FindInCells(ScreenText screen, string wanted, bool exact, bool labelLike)
    {
        var found = new List<(Phrase Match, Phrase Cell, int Rank)>();
        foreach (var line in screen.Lines)
        {
            // Cells end at a label's colon, so "MRN:" is found apart from its value; text that runs on past a colon
            // ("Chosen: South Clinic") is found in the same cells taken without that break.
            var cells = screen.Cells(line);
            var longer = screen.Cells(line, colons: false).Where(c => !cells.Any(k => k.Words.SequenceEqual(c.Words)));
            foreach (var cell in cells.Concat(longer))
            {
                if (TextMatch.Rank(cell.Text, wanted, exact, labelLike) is not { } rank)
                {
                    continue;
                }
                found.Add((rank == TextMatch.Contains ? Smallest(cell, wanted, labelLike) : cell, cell, rank));
            }
        }
        if (found.Count == 0)
        {
            return [];
        }
        var best = found.Min(f => f.Rank);
        // The same words found through both kinds of cell count once, with the smaller cell.
        return found.Where(f => f.Rank == best)
            .GroupBy(f => string.Join(',', f.Match.Words.Select(w => w.Box)))
            .Select(g => g.OrderBy(f => f.Cell.Words.Count).First())
            .Select(f => (f.Match, f.Cell))
            .ToList();
    }

    // The shortest run of the cell's words that still holds the wanted text: the part of "Patient Search" a click on
    // "Search" should hit.
    private static Phrase Smallest(Phrase cell, string wanted, bool labelLike)
    {
        var w = TextMatch.Normalize(wanted, labelLike);
        Phrase best = cell;
        for (var length = 1; length < cell.Words.Count; length++)
        {
            for (var start = 0; start + length <= cell.Words.Count; start++)
            {
                var run = new Phrase(cell.Words.Skip(start).Take(length).ToList(), cell.Line);
                if (TextMatch.Normalize(run.Text, labelLike).Contains(w, StringComparison.OrdinalIgnoreCase))
                {
                    return run;
                }
            }
        }
        return best;
    }
}
