using System.Globalization;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Web;
using static RpaWorker.MockEhr.Desktop.ScreenBuilder;

namespace RpaWorker.MockEhr.Desktop;

internal sealed partial class DesktopEhr
{
    private const int ListHeight = 380;

    private void ShowChart(LegacyChart chart)
    {
        var screen = new ScreenBuilder();
        var notebook = Gtk.NotebookNew();
        // Documents (notes and scanned letters) are shown by the web version only.
        foreach (var (key, title) in _skin.Tabs.Where(t => t.Key != "documents"))
        {
            Gtk.NotebookAppendPage(notebook, Page(screen, key, chart), Label(title));
        }
        var box = Box(Gtk.OrientationVertical, 8, TopBar(screen, onChart: true), Banner(chart.Patient));
        Gtk.BoxPackStart(box, notebook, true, true, 0);
        Show(LegacyFormat.Name(chart.Patient), screen, box);
    }

    private nint Banner(LegacyPatient p)
    {
        var at = p.DeceasedDate is { Length: >= 10 } d &&
            DateOnly.TryParseExact(d[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var died)
                ? died
                : DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var cells = new List<nint>
        {
            Label(_skin.NameLabel), Heading(LegacyFormat.Name(p)),
            Label(_skin.MrnLabel), Heading(p.Mrn),
            Label(_skin.DobLabel), Label(LegacyFormat.Date(p.BirthDate)),
            Label(_skin.AgeLabel), Label(LegacyFormat.Age(p.BirthDate, at)),
            Label(_skin.SexLabel), Label(LegacyFormat.Sex(p.Sex)),
        };
        if (p.DeceasedDate is not null)
        {
            cells.Add(Heading("DECEASED"));
            cells.Add(Label(LegacyFormat.Date(p.DeceasedDate)));
        }
        var banner = Row([.. cells]);
        Gtk.GridSetColumnSpacing(banner, 10);
        return Named(banner, "Patient Banner");
    }

    private nint Page(ScreenBuilder screen, string key, LegacyChart chart)
    {
        var page = key switch
        {
            "demographics" => Demographics(chart.Patient),
            "problems" when _skin.AllergiesOnProblemsTab => Box(Gtk.OrientationVertical, 6,
                List(screen, ChartSections.Problems(_skin, chart), ListHeight / 2), List(screen, ChartSections.Allergies(chart), ListHeight / 2)),
            "problems" => List(screen, ChartSections.Problems(_skin, chart), ListHeight),
            "medications" => List(screen, ChartSections.Medications(_skin, chart), ListHeight),
            "allergies" => List(screen, ChartSections.Allergies(chart), ListHeight),
            "vitals" => List(screen, ChartSections.Vitals(chart), ListHeight),
            "labs" => List(screen, ChartSections.Labs(chart), ListHeight),
            "social" => List(screen, ChartSections.Social(chart), ListHeight),
            "immunizations" => List(screen, ChartSections.Immunizations(_skin, chart), ListHeight),
            "encounters" => List(screen, ChartSections.Encounters(chart), ListHeight),
            "other" => List(screen, ChartSections.Other(chart), ListHeight),
            _ => throw new InvalidOperationException($"No chart page for tab '{key}'."),
        };
        Gtk.ContainerSetBorderWidth(page, 6);
        return page;
    }

    private static nint List(ScreenBuilder screen, ChartList list, int height)
    {
        var (scroller, _) = screen.Table(list.Headers, list.Rows, height);
        return Box(Gtk.OrientationVertical, 4,
            Heading(list.Heading),
            Label(list.Rows.Count == 0 ? list.EmptyText : $"{list.Rows.Count.ToString(CultureInfo.InvariantCulture)} record(s)"),
            scroller);
    }

    private nint Demographics(LegacyPatient p)
    {
        var cityLine = $"{p.City}{(p.City is null ? "" : ", ")}{p.State} {p.Zip}".Trim();
        var rows = new List<(string Label, string? Value)>
        {
            (_skin.AddressLabel, p.AddressLine),
            (_skin.CityLabel, cityLine),
            (_skin.PhoneLabel, p.Phone),
            (_skin.MaritalLabel, LegacyFormat.Marital(p.MaritalStatus)),
            (_skin.LanguageLabel, LegacyFormat.Language(p.Language)),
        };
        if (p.DeceasedDate is not null)
        {
            rows.Add(("Date of Death:", LegacyFormat.Date(p.DeceasedDate)));
        }
        var page = Box(Gtk.OrientationVertical, 6,
            Heading("Patient Demographics"),
            Form(rows.Select(r => (Label(r.Label), Label(r.Value ?? "")))));
        if (_skin.ShowsGuarantor)
        {
            Gtk.BoxPackStart(page, Heading(Guarantor.Heading), false, false, 6);
            Gtk.BoxPackStart(page, Form(Guarantor.For(p).Rows.Select(r => (Label(r.Label), Label(r.Value)))), false, false, 0);
        }
        return page;
    }
}
