using System.Text.RegularExpressions;
using RpaWorker.Engine.Parsing;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Healing;

/// <summary>
/// Renamed table columns: what a column was like on the known-good screen (its place, its neighbours, the shape of its
/// cells) and which of today's unclaimed headers is most like it.
/// </summary>
internal static partial class ColumnHealing
{
    public static int IndexOf(IReadOnlyList<string> headers, string header)
    {
        var wanted = ValueParsers.Fold(header)!;
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(ValueParsers.Fold(headers[i]), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Prints of the step's columns as the table shows them; empty unless every column is there.</summary>
    public static List<ColumnPrint> Learn(ExtractTableStep step, UiTable table)
    {
        var prints = new List<ColumnPrint>();
        foreach (var column in step.Columns.Where(c => c.Header != Steps.ExtractTableFactory.AcrossHeader))
        {
            var i = IndexOf(table.Headers, column.Header);
            if (i < 0)
            {
                return [];
            }
            prints.Add(new ColumnPrint(column.Header, i, table.Headers.Count, i > 0 ? table.Headers[i - 1] : "",
                i + 1 < table.Headers.Count ? table.Headers[i + 1] : "", Shape(table, i)));
        }
        return prints;
    }

    /// <summary>The header that wins clearly for the column and whose cells parse as the column says, or null.</summary>
    public static (string Header, double Score, double RunnerUp)? Best(ColumnPrint print, ExtractTableStep step, UiTable table, IEnumerable<string> claimed,
        HealingOptions options, IReadOnlyDictionary<string, ConceptMapDefinition> maps, int year)
    {
        var taken = new HashSet<string>(claimed, StringComparer.OrdinalIgnoreCase);
        foreach (var column in step.Columns)
        {
            if (IndexOf(table.Headers, column.Header) is var i and >= 0)
            {
                taken.Add(table.Headers[i]);
            }
        }
        var ranked = table.Headers.Select((header, index) => (header, index))
            .Where(h => !taken.Contains(h.header))
            .Select(h => (h.header, h.index, Score: Score(print, table, h.index)))
            .OrderByDescending(h => h.Score)
            .ToList();
        if (ranked.Count == 0)
        {
            return null;
        }
        var best = ranked[0];
        var runnerUp = ranked.Count > 1 ? ranked[1].Score : 0;
        if (best.Score < options.ColumnMinScore || best.Score - runnerUp < options.Margin)
        {
            return null;
        }
        var parse = step.Columns.First(c => c.Header == print.Header).Parse;
        if (parse.Count > 0 && table.Rows.Any(r => best.index < r.Count && !ValueParsers.Parse(r[best.index], parse, maps, year).Ok))
        {
            return null;
        }
        return (best.header, best.Score, runnerUp);
    }

    private static double Score(ColumnPrint print, UiTable table, int index)
    {
        var shape = Shape(table, index);
        var shapeScore = shape == print.Shape ? 1 : shape == "empty" || print.Shape == "empty" ? 0.5 : 0;
        var left = index > 0 ? table.Headers[index - 1] : "";
        var right = index + 1 < table.Headers.Count ? table.Headers[index + 1] : "";
        var neighbours = (FingerprintScorer.Similarity(print.Left, left) + FingerprintScorer.Similarity(print.Right, right)) / 2;
        var place = 1 - Math.Min(1, Math.Abs((double)print.Index / Math.Max(1, print.Count) - (double)index / Math.Max(1, table.Headers.Count)) * 2);
        return Math.Round(0.4 * FingerprintScorer.Similarity(print.Header, table.Headers[index]) + 0.3 * shapeScore + 0.2 * neighbours + 0.1 * place, 4);
    }

    /// <summary>What the cells of a column look like, as a class: date, number, code, text or empty. Never a value.</summary>
    private static string Shape(UiTable table, int index)
    {
        var cells = table.Rows.Where(r => index < r.Count && !string.IsNullOrWhiteSpace(r[index]) && r.Count > 1).Take(10).Select(r => r[index].Trim()).ToList();
        if (cells.Count == 0)
        {
            return "empty";
        }
        static string Of(string cell) =>
            DateLike().IsMatch(cell) ? "date" : NumberLike().IsMatch(cell) ? "number" : CodeLike().IsMatch(cell) ? "code" : "text";
        return cells.Select(Of).GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key;
    }

    [GeneratedRegex(@"^(\d{1,4}[/-]\d{1,2}([/-]\d{1,4})?|[A-Za-z]{3} \d{1,2} '\d{2})")]
    private static partial Regex DateLike();

    [GeneratedRegex(@"^[<>]?-?\d+(\.\d+)?$")]
    private static partial Regex NumberLike();

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+$")]
    private static partial Regex CodeLike();
}
