using System.Net;
using System.Text;

namespace RpaWorker.MockEhr.Web;

/// <summary>
/// The only way page code turns data into markup: every value goes through <see cref="E"/>, so a
/// name like O'Brien or a sig holding "&lt;script&gt;" shows literally instead of breaking the page.
/// </summary>
internal static class Html
{
    /// <summary>HTML-encodes a value; null becomes empty.</summary>
    public static string E(string? value) => value is null ? "" : WebUtility.HtmlEncode(value);

    /// <summary>Encodes a query-string value.</summary>
    public static string Q(string? value) => Uri.EscapeDataString(value ?? "");

    /// <summary>A plain table row of already-rendered cells.</summary>
    public static string Row(IEnumerable<string> cellsHtml, string? bgcolor = null)
    {
        var sb = new StringBuilder(bgcolor is null ? "<tr>" : $"<tr bgcolor=\"{bgcolor}\">");
        foreach (var c in cellsHtml)
        {
            sb.Append("<td>").Append(c).Append("</td>");
        }
        return sb.Append("</tr>\n").ToString();
    }

    /// <summary>
    /// A grid the way old EHRs drew them: grey header row, alternating row colours, no classes.
    /// Cell delegates return encoded HTML.
    /// </summary>
    public static string Grid<T>(IReadOnlyList<Column<T>> columns, IEnumerable<T> rows, string emptyText)
    {
        var sb = new StringBuilder("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\" style=\"border-collapse:collapse;font-size:12px\">\n<tr bgcolor=\"#C0C0C0\">");
        foreach (var c in columns)
        {
            sb.Append("<th align=\"left\"><font face=\"Arial\" size=\"2\">").Append(E(c.Header)).Append("</font></th>");
        }
        sb.Append("</tr>\n");
        var n = 0;
        foreach (var r in rows)
        {
            sb.Append(Row(columns.Select(c => c.Cell(r)), n++ % 2 == 0 ? "#FFFFFF" : "#EEF3FA"));
        }
        if (n == 0)
        {
            sb.Append($"<tr><td colspan=\"{columns.Count}\"><i>{E(emptyText)}</i></td></tr>\n");
        }
        return sb.Append("</table>\n").ToString();
    }

    /// <summary>
    /// "&lt;&lt; Prev | Page 2 of 4 | Next &gt;&gt;" with links built by <paramref name="href"/> from a page number.
    /// </summary>
    public static string Pager(int page, int pageCount, Func<int, string> href)
    {
        if (pageCount <= 1)
        {
            return "";
        }
        var prev = page > 1 ? $"<a href=\"{E(href(page - 1))}\">&lt;&lt; Prev</a>" : "<font color=\"#999999\">&lt;&lt; Prev</font>";
        var next = page < pageCount ? $"<a href=\"{E(href(page + 1))}\">Next &gt;&gt;</a>" : "<font color=\"#999999\">Next &gt;&gt;</font>";
        return $"<table width=\"100%\"><tr><td align=\"right\"><font face=\"Arial\" size=\"2\">{prev} &nbsp;|&nbsp; Page {page} of {pageCount} &nbsp;|&nbsp; {next}</font></td></tr></table>\n";
    }
}

/// <summary>One grid column: a header and how to render a row's cell (encoded HTML).</summary>
internal sealed record Column<T>(string Header, Func<T, string> Cell);

/// <summary>A page of a longer list.</summary>
internal readonly record struct Paged<T>(IReadOnlyList<T> Items, int Page, int PageCount)
{
    public static Paged<T> Of(IReadOnlyList<T> all, int requestedPage, int pageSize)
    {
        var size = Math.Max(1, pageSize);
        var count = Math.Max(1, (all.Count + size - 1) / size);
        var page = Math.Clamp(requestedPage, 1, count);
        return new Paged<T>(all.Skip((page - 1) * size).Take(size).ToList(), page, count);
    }
}
