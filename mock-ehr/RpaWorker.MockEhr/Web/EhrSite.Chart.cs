using System.Globalization;
using System.Text;
using RpaWorker.MockEhr.Data;
using static RpaWorker.MockEhr.Web.Html;

namespace RpaWorker.MockEhr.Web;

internal sealed partial class EhrSite
{
    /// <summary>Date columns per flowsheet page; a 2005 screen at 1024x768 fits about this many.</summary>
    internal const int FlowsheetColumnsPerPage = 8;

    private string ChartPage(LegacyChart chart, string? tab, int page)
    {
        var p = chart.Patient;
        var key = tab is { Length: > 0 } && _skin.Tabs.Any(t => t.Key == tab) ? tab : "demographics";
        var sb = new StringBuilder();
        sb.Append(Banner(p)).Append(TabStrip(p.Id, key));
        sb.Append("<table width=\"100%\" border=\"1\" cellspacing=\"0\" cellpadding=\"6\" bordercolor=\"#999999\"><tr><td valign=\"top\">\n");
        sb.Append(key switch
        {
            "problems" => Problems(chart, page),
            "medications" => Medications(chart, page),
            "allergies" => AllergyFrame(p.Id),
            "vitals" => Vitals(chart, page),
            "labs" => Labs(chart, page),
            "social" => Social(chart, page),
            "immunizations" => Immunizations(chart, page),
            "encounters" => Encounters(chart, page),
            "other" => Other(chart, page),
            "documents" => Documents(chart, page),
            _ => Demographics(p),
        });
        sb.Append("</td></tr></table>\n");
        // Popups belong to opening the chart (from the list), not to moving between its tabs.
        if (tab is null)
        {
            if (p.UnsignedNotes > 0)
            {
                var notes = p.UnsignedNotes == 1 ? "1 unsigned note" : $"{p.UnsignedNotes} unsigned notes";
                sb.Append(Modal("Unsigned Notes", $"You have {notes} for this patient. Please review and sign."));
            }
            if (_dice.Roll(options.PopupRate))
            {
                sb.Append(Modal("Reminder", "Reminder: flu season is here. Please review this patient's influenza vaccination status."));
            }
        }
        return Layout(LegacyFormat.Name(p), sb.ToString());
    }

    private string Banner(LegacyPatient p)
    {
        var at = p.DeceasedDate is { Length: >= 10 } d &&
            DateOnly.TryParseExact(d[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var died)
                ? died
                : DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var deceased = p.DeceasedDate is null ? "" : $"<td><font color=\"#CC0000\"><b>DECEASED</b></font></td><td>{E(LegacyFormat.Date(p.DeceasedDate))}</td>";
        return $"""
            <table width="100%" border="1" cellspacing="0" cellpadding="3" bgcolor="#FFFFCC" bordercolor="#999966">
            <tr><td>{E(_skin.NameLabel)}</td><td><b><font size="3">{E(LegacyFormat.Name(p))}</font></b></td>
            <td>{E(_skin.MrnLabel)}</td><td><b>{E(p.Mrn)}</b></td>
            <td>{E(_skin.DobLabel)}</td><td>{E(LegacyFormat.Date(p.BirthDate))}</td>
            <td>{E(_skin.AgeLabel)}</td><td>{E(LegacyFormat.Age(p.BirthDate, at))}</td>
            <td>{E(_skin.SexLabel)}</td><td>{E(LegacyFormat.Sex(p.Sex))}</td>{deceased}</tr>
            </table>

            """;
    }

    private string TabStrip(long patientId, string current)
    {
        var sb = new StringBuilder("<table border=\"0\" cellspacing=\"2\" cellpadding=\"4\"><tr>");
        foreach (var (key, title) in _skin.Tabs)
        {
            sb.Append(key == current
                ? $"<td bgcolor=\"#003366\"><font color=\"#FFFFFF\" size=\"2\"><b>{E(title)}</b></font></td>"
                : $"<td bgcolor=\"#D4D0C8\"><font size=\"2\"><a href=\"/chart/{patientId}?tab={key}\">{E(title)}</a></font></td>");
        }
        return sb.Append("</tr></table>\n").ToString();
    }

    private static string Heading(string text) => $"<font size=\"3\" color=\"#003366\"><b>{E(text)}</b></font><br>\n";

    // A div over the whole page that swallows clicks until OK is pressed, like the vendor's own dialog.
    private static string Modal(string title, string message) => $"""
        <div style="position:fixed;left:0;top:0;width:100%;height:100%;z-index:1000;background-color:rgba(0,0,0,0.45)">
        <table width="360" align="center" border="2" cellspacing="0" cellpadding="8" bgcolor="#ECE9D8" style="margin-top:140px">
        <tr><td bgcolor="#0A246A"><font color="#FFFFFF"><b>{E(title)}</b></font></td></tr>
        <tr><td>{E(message)}</td></tr>
        <tr><td align="center"><input type="button" value="OK" style="width:80px" onclick="var d=this;while(d.tagName!='DIV')d=d.parentNode;d.style.display='none';"></td></tr>
        </table>
        </div>

        """;

    private string Paginated<T>(long patientId, string tab, IReadOnlyList<T> all, int page, IReadOnlyList<Column<T>> columns, string empty)
    {
        var paged = Paged<T>.Of(all, page, options.PageSize);
        return $"<font size=\"1\">{all.Count} record(s)</font>\n" + Grid(columns, paged.Items, empty) +
            Pager(paged.Page, paged.PageCount, n => $"/chart/{patientId}?tab={tab}&page={n}");
    }

    private string Demographics(LegacyPatient p)
    {
        var cityLine = $"{p.City}{(p.City is null ? "" : ", ")}{p.State} {p.Zip}".Trim();
        var rows = new (string Label, string? Value)[]
        {
            (_skin.AddressLabel, p.AddressLine),
            (_skin.CityLabel, cityLine),
            (_skin.PhoneLabel, p.Phone),
            (_skin.MaritalLabel, LegacyFormat.Marital(p.MaritalStatus)),
            (_skin.LanguageLabel, LegacyFormat.Language(p.Language)),
        };
        var sb = new StringBuilder(Heading("Patient Demographics"));
        sb.Append("<table border=\"0\" cellpadding=\"3\">\n");
        foreach (var (label, value) in rows)
        {
            sb.Append(Row([E(label), E(value)]));
        }
        if (p.DeceasedDate is not null)
        {
            sb.Append(Row(["Date of Death:", E(LegacyFormat.Date(p.DeceasedDate))]));
        }
        sb.Append("</table>\n");
        if (_skin.ShowsGuarantor)
        {
            sb.Append("<br>\n").Append(Heading(Guarantor.Heading)).Append("<table border=\"0\" cellpadding=\"3\">\n");
            foreach (var (label, value) in Guarantor.For(p).Rows)
            {
                sb.Append(Row([E(label), E(value)]));
            }
            sb.Append("</table>\n");
        }
        return sb.ToString();
    }

    private string Problems(LegacyChart chart, int page)
    {
        var columns = _skin.Columns<LegacyProblem>(_skin.ProblemColumns,
            ("Code", "SNOMED", x => E(x.Code)),
            ("Description", "Problem", x => E(x.Description)),
            ("Onset", "Onset Dt", x => E(LegacyFormat.Date(x.OnsetDate))),
            ("Status", "Status", x => E(x.Status)),
            ("Resolved", "Resolved Dt", x => E(LegacyFormat.Date(x.ResolvedDate))));
        var html = Heading("PROBLEM LIST") +
            Paginated(chart.Patient.Id, "problems", chart.Problems, page, columns, "No known problems");
        return _skin.AllergiesOnProblemsTab ? html + "<br>\n" + AllergyFrame(chart.Patient.Id) : html;
    }

    private string Medications(LegacyChart chart, int page)
    {
        var columns = _skin.Columns<LegacyMedication>(_skin.MedicationColumns,
            ("Code", "RxNorm", x => E(x.Code)),
            ("Medication", "Medication", x => E(x.Name)),
            ("Status", "Status", x => E(x.Status)),
            ("Start", "Start Dt", x => E(LegacyFormat.Date(x.StartDate))),
            ("Sig", "Sig", x => E(x.Sig)),
            ("Ordered By", "Prescriber", x => E(x.Prescriber)));
        return Heading("Medication List") +
            Paginated(chart.Patient.Id, "medications", chart.Medications, page, columns, "No medications on file");
    }

    // Allergies live in their own document inside an iframe, as many portal-era EHRs embedded modules.
    private static string AllergyFrame(long patientId) =>
        Heading("allergies / adverse reactions") +
        $"<iframe src=\"/frame/allergies/{patientId}\" name=\"allergyframe\" width=\"100%\" height=\"560\" frameborder=\"1\" scrolling=\"auto\"></iframe>\n";

    private string AllergyFramePage(LegacyChart chart, int page)
    {
        var columns = new List<Column<LegacyAllergy>>
        {
            new("Code", x => E(x.Code)),
            new("Code Sys", x => E(LegacyFormat.CodeSystem(x.CodeSystem))),
            new("Substance", x => E(x.Substance)),
            new("Type", x => E(x.Category)),
            new("Reaction", x => E(x.Reaction)),
            new("Criticality", x => E(x.Criticality)),
            new("Status", x => E(x.Status)),
            new("Recorded", x => E(LegacyFormat.Date(x.RecordedDate))),
        };
        var paged = Paged<LegacyAllergy>.Of(chart.Allergies, page, options.PageSize);
        var body = Grid(columns, paged.Items, "NKA - No Known Allergies") +
            Pager(paged.Page, paged.PageCount, n => $"/frame/allergies/{chart.Patient.Id}?page={n}");
        return $"""
            <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Allergies</title></head>
            <body bgcolor="#FFF8F0" style="font-family:Arial,Helvetica,sans-serif;font-size:12px;margin:4px">
            {body}
            </body></html>
            """;
    }

    private string Vitals(LegacyChart chart, int page)
    {
        var vitals = chart.Results.Where(r => r.Section == ResultSection.Vitals).ToList();
        var times = vitals.Select(r => r.EffectiveAt).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var measures = vitals.Select(r => (r.Code, r.Name, r.Unit)).Distinct().ToList();
        var paged = Paged<string>.Of(times, page, FlowsheetColumnsPerPage);
        var sb = new StringBuilder(Heading("Vital Signs Flowsheet"));
        if (vitals.Count == 0)
        {
            return sb.Append("<i>No vitals recorded</i>").ToString();
        }
        sb.Append("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" style=\"border-collapse:collapse;font-size:12px\">\n<tr bgcolor=\"#C0C0C0\"><th align=\"left\">Measure</th><th>LOINC</th><th>Units</th>");
        foreach (var t in paged.Items)
        {
            sb.Append($"<th>{E(LegacyFormat.Short(t))}<br><font size=\"1\">{E(LegacyFormat.Time(t))}</font></th>");
        }
        sb.Append("</tr>\n");
        foreach (var m in measures)
        {
            var cells = new List<string> { $"<b>{E(m.Name)}</b>", E(m.Code), E(m.Unit) };
            cells.AddRange(paged.Items.Select(t => E(vitals.FirstOrDefault(r =>
                r.EffectiveAt == t && r.Code == m.Code && r.Name == m.Name && r.Unit == m.Unit)?.Value)));
            sb.Append(Row(cells));
        }
        sb.Append("</table>\n");
        return sb.Append(Pager(paged.Page, paged.PageCount, n => $"/chart/{chart.Patient.Id}?tab=vitals&page={n}")).ToString();
    }

    private string Labs(LegacyChart chart, int page)
    {
        var labs = chart.Results.Where(r => r.Section == ResultSection.Labs).ToList();
        var columns = new List<Column<LegacyResult>>
        {
            new("Test", x => E(x.Name)),
            new("LOINC", x => E(x.Code)),
            new("Result", x => E(x.Value)),
            new("Units", x => E(x.Unit)),
            new("Ref Range", x => E(Range(x))),
            new("Flag", x => x.Flag is "H" or "L" ? $"<font color=\"#CC0000\"><b>{E(x.Flag)}</b></font>" : ""),
            new("Collected", x => E(LegacyFormat.DateTime(x.EffectiveAt))),
        };
        return Heading("LAB RESULTS") + Paginated(chart.Patient.Id, "labs", labs, page, columns, "No lab results");
    }

    internal static string Range(LegacyResult r) => (r.RefLow, r.RefHigh) switch
    {
        ({ } lo, { } hi) => $"{lo}-{hi}",
        (null, { } hi) => $"<{hi}",
        ({ } lo, null) => $">{lo}",
        _ => "",
    };

    private string Social(LegacyChart chart, int page)
    {
        var rows = chart.Results.Where(r => r.Section == ResultSection.Social).ToList();
        var columns = new List<Column<LegacyResult>>
        {
            new("Item", x => E(x.Name)),
            new("LOINC", x => E(x.Code)),
            new("Status", x => E(x.Value)),
            new("Status Code", x => E(x.ValueCode)),
            new("Date", x => E(LegacyFormat.DateTime(x.EffectiveAt))),
        };
        return Heading("Social history") + Paginated(chart.Patient.Id, "social", rows, page, columns, "No social history recorded");
    }

    private string Immunizations(LegacyChart chart, int page)
    {
        var columns = new List<Column<LegacyImmunization>>
        {
            new("CVX", x => E(x.CvxCode)),
            new("Vaccine", x => E(x.Vaccine)),
            new("Date Given", x => E(LegacyFormat.Date(x.Date))),
        };
        return Heading(_skin.IsV2 ? "HEALTH MAINTENANCE - Immunizations" : "Immunization Record") +
            Paginated(chart.Patient.Id, "immunizations", chart.Immunizations, page, columns, "No immunizations on file");
    }

    private string Encounters(LegacyChart chart, int page)
    {
        var columns = new List<Column<LegacyEncounter>>
        {
            new("Date", x => E(LegacyFormat.Short(x.StartAt))),
            new("Time", x => E(LegacyFormat.Time(x.StartAt))),
            new("Ended", x => E(LegacyFormat.DateTime(x.EndAt))),
            new("Visit Type", x => E(x.TypeDisplay)),
            new("Type Code", x => E(x.TypeCode)),
            new("Class", x => E(x.Class)),
            new("Provider", x => E(x.Provider)),
            new("Reason", x => E(x.ReasonDisplay)),
            new("Reason Code", x => E(x.ReasonCode)),
        };
        return Heading("Visit history") + Paginated(chart.Patient.Id, "encounters", chart.Encounters, page, columns, "No visits");
    }

    private string Other(LegacyChart chart, int page)
    {
        var rows = chart.Results.Where(r => r.Section == ResultSection.Other).ToList();
        var columns = new List<Column<LegacyResult>>
        {
            new("Name", x => E(x.Name)),
            new("Code", x => E(x.Code)),
            new("Value", x => E(x.Value)),
            new("Answer Code", x => E(x.ValueCode)),
            new("Unit", x => E(x.Unit)),
            new("Date", x => E(LegacyFormat.DateTime(x.EffectiveAt))),
        };
        return Heading("OTHER RESULTS") + Paginated(chart.Patient.Id, "other", rows, page, columns, "No other results");
    }
}
