using System.Globalization;
using RpaWorker.MockEhr.Data;
using RpaWorker.Ui;

namespace RpaWorker.Drivers.Desktop.Tests.AtSpi;

/// <summary>What a person expects to read for a stored record, written out here rather than borrowed from the mock.</summary>
internal static class Expected
{
    public static string Name(LegacyPatient p) =>
        $"{p.LastName}, {p.FirstName}{(string.IsNullOrWhiteSpace(p.MiddleName) ? "" : " " + p.MiddleName.Trim()[0])}".ToUpperInvariant();

    /// <summary>MM/DD/YYYY, or as partial as the stored date (MM/YYYY, YYYY).</summary>
    public static string Date(string? iso) => iso switch
    {
        null or "" => "",
        { Length: 4 } => iso,
        { Length: 7 } => $"{iso[5..7]}/{iso[..4]}",
        _ => DateOnly.ParseExact(iso[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture),
    };

    /// <summary>The table's rows cut down to the named columns, each row joined, sorted: order on screen does not matter here.</summary>
    public static IReadOnlyList<string> Columns(UiTable table, params string[] headers)
    {
        var indexes = headers.Select(h =>
        {
            var i = table.Headers.ToList().IndexOf(h);
            Assert.True(i >= 0, $"column '{h}' missing; the table has: {string.Join(", ", table.Headers)}");
            return i;
        }).ToList();
        return table.Rows.Select(r => string.Join(" | ", indexes.Select(i => r[i]))).Order(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> Rows<T>(IEnumerable<T> records, params Func<T, string?>[] cells) =>
        records.Select(r => string.Join(" | ", cells.Select(c => Fold(c(r) ?? "")))).Order(StringComparer.Ordinal).ToList();

    private static string Fold(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
