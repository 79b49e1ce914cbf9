using System.Text.Json;

namespace RpaWorker.Bench.HandWritten;

/// <summary>One page of a grid as <see cref="Scripts.Grid"/> reads it.</summary>
internal sealed record Grid(string? Mrn, bool Next, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static Grid From(JsonElement json) => new(
        json.GetProperty("mrn").GetString(),
        json.GetProperty("next").GetBoolean(),
        [.. json.GetProperty("headers").EnumerateArray().Select(h => h.GetString() ?? "")],
        [.. json.GetProperty("rows").EnumerateArray().Select(r => (IReadOnlyList<string>)[.. r.EnumerateArray().Select(c => c.GetString() ?? "")])]);

    /// <summary>One record per row that holds anything, keyed by column header.</summary>
    public IEnumerable<Dictionary<string, string>> Records() =>
        Rows.Where(r => r.Any(c => c.Length > 0)).Select(r => Headers.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));

    /// <summary>
    /// A flowsheet (dates across, measures down): one record per filled cell, holding the row's first
    /// <paramref name="labelColumns"/> cells (measure, code, unit), the date column's header and the cell.
    /// </summary>
    public IEnumerable<Dictionary<string, string>> Cells(int labelColumns)
    {
        foreach (var row in Rows)
        {
            for (var i = labelColumns; i < Math.Min(row.Count, Headers.Count); i++)
            {
                if (row[i].Length == 0)
                {
                    continue;
                }
                var record = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var l = 0; l < labelColumns; l++)
                {
                    record[Headers[l]] = row[l];
                }
                record["Taken"] = Headers[i];
                record["Value"] = row[i];
                yield return record;
            }
        }
    }
}
