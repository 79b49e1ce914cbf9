using System.Globalization;
using System.Text;
using RpaWorker.MockEhr.Data;
using static RpaWorker.MockEhr.Web.Html;

namespace RpaWorker.MockEhr.Web;

internal sealed partial class EhrSite
{
    private string Documents(LegacyChart chart, int page)
    {
        var id = chart.Patient.Id;
        var columns = new List<Column<LegacyDocument>>
        {
            new("Date", x => E(LegacyFormat.Date(x.Date))),
            new("Type", x => E(DocumentType(x))),
            new("Title", x => $"<a href=\"/chart/{id}/documents/{x.Id.ToString(CultureInfo.InvariantCulture)}\">{E(x.Title)}</a>"),
            new("Author", x => E(x.Author)),
        };
        return Heading(_skin.IsV2 ? "CHART DOCUMENTS" : "Documents") +
            Paginated(id, "documents", chart.Documents, page, columns, "No documents on file");
    }

    // A note is typed text; a letter was scanned from paper, so the page holds only its picture, as imaging modules did.
    private string DocumentPage(LegacyChart chart, LegacyDocument doc)
    {
        var p = chart.Patient;
        var sb = new StringBuilder();
        sb.Append(Banner(p)).Append(TabStrip(p.Id, "documents"));
        sb.Append("<table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"6\" bordercolor=\"#999999\"><tr><td valign=\"top\">\n");
        sb.Append(Heading(doc.Title));
        sb.Append("<table border=\"0\" cellpadding=\"3\">\n")
          .Append(Row(["Type:", E(DocumentType(doc))]))
          .Append(Row(["Date:", E(LegacyFormat.Date(doc.Date))]))
          .Append(Row(["Author:", E(doc.Author)]))
          .Append("</table>\n<hr>\n");
        sb.Append(doc.Type == LegacyDocument.Letter
            ? $"<img src=\"/chart/{p.Id}/documents/{doc.Id}/scan.png\" alt=\"Scanned document\" width=\"{LetterImage.Width}\" border=\"1\">\n"
            : $"<pre style=\"font-family:'Courier New',monospace;font-size:13px;white-space:pre-wrap\">{E(doc.Text)}</pre>\n");
        sb.Append($"<br><font size=\"2\"><a href=\"/chart/{p.Id}?tab=documents\">&lt;&lt; Back to documents</a></font>\n");
        sb.Append("</td></tr></table>\n");
        return Layout(LegacyFormat.Name(p), sb.ToString());
    }

    private static string DocumentType(LegacyDocument doc) => doc.Type == LegacyDocument.Letter ? "Scanned letter" : "Clinical note";
}
