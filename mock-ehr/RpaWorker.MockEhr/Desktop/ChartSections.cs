using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Web;

namespace RpaWorker.MockEhr.Desktop;

/// <summary>One list on a chart tab: its heading, column headers, rows of cell text, and what it says when empty.</summary>
internal sealed record ChartList(string Heading, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, string EmptyText);

/// <summary>
/// The chart's lists as the desktop screens show them: the same headers, column orders (per skin) and value
/// formatting (<see cref="LegacyFormat"/>) as the web screens, so one playbook mapping reads both. Unlike the
/// web, lists are not paged: they scroll.
/// </summary>
internal static class ChartSections
{
    public static ChartList Patients(Skin skin, IReadOnlyList<LegacyPatient> patients) => List("Patient Search", patients,
        skin.Columns<LegacyPatient>(skin.PatientColumns,
            ("Name", "Pt Name", p => LegacyFormat.Name(p)),
            ("MRN", "Med Rec #", p => p.Mrn),
            ("DOB", "D.O.B.", p => LegacyFormat.Date(p.BirthDate)),
            ("Sex", "Gender", p => p.Sex)),
        "No patients found");

    public static ChartList Problems(Skin skin, LegacyChart chart) => List("PROBLEM LIST", chart.Problems,
        skin.Columns<LegacyProblem>(skin.ProblemColumns,
            ("Code", "SNOMED", x => x.Code),
            ("Description", "Problem", x => x.Description),
            ("Onset", "Onset Dt", x => LegacyFormat.Date(x.OnsetDate)),
            ("Status", "Status", x => x.Status),
            ("Resolved", "Resolved Dt", x => LegacyFormat.Date(x.ResolvedDate))),
        "No known problems");

    public static ChartList Medications(Skin skin, LegacyChart chart) => List("Medication List", chart.Medications,
        skin.Columns<LegacyMedication>(skin.MedicationColumns,
            ("Code", "RxNorm", x => x.Code),
            ("Medication", "Medication", x => x.Name),
            ("Status", "Status", x => x.Status),
            ("Start", "Start Dt", x => LegacyFormat.Date(x.StartDate)),
            ("Sig", "Sig", x => x.Sig ?? ""),
            ("Ordered By", "Prescriber", x => x.Prescriber ?? "")),
        "No medications on file");

    public static ChartList Allergies(LegacyChart chart) => List("allergies / adverse reactions", chart.Allergies,
    [
        new("Code", x => x.Code),
        new("Code Sys", x => LegacyFormat.CodeSystem(x.CodeSystem)),
        new("Substance", x => x.Substance),
        new("Type", x => x.Category ?? ""),
        new("Reaction", x => x.Reaction ?? ""),
        new("Criticality", x => x.Criticality ?? ""),
        new("Status", x => x.Status),
        new("Recorded", x => LegacyFormat.Date(x.RecordedDate)),
    ], "NKA - No Known Allergies");

    /// <summary>The flowsheet: one row per measure, one column per time it was taken (oldest first).</summary>
    public static ChartList Vitals(LegacyChart chart)
    {
        var vitals = chart.Results.Where(r => r.Section == ResultSection.Vitals).ToList();
        var times = vitals.Select(r => r.EffectiveAt).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var measures = vitals.Select(r => (r.Code, r.Name, r.Unit)).Distinct().ToList();
        var headers = new List<string> { "Measure", "LOINC", "Units" };
        headers.AddRange(times.Select(t => $"{LegacyFormat.Short(t)} {LegacyFormat.Time(t)}"));
        var rows = measures.Select(m =>
        {
            var cells = new List<string> { m.Name, m.Code, m.Unit ?? "" };
            cells.AddRange(times.Select(t => vitals.FirstOrDefault(r =>
                r.EffectiveAt == t && r.Code == m.Code && r.Name == m.Name && r.Unit == m.Unit)?.Value ?? ""));
            return (IReadOnlyList<string>)cells;
        }).ToList();
        return new ChartList("Vital Signs Flowsheet", headers, rows, "No vitals recorded");
    }

    public static ChartList Labs(LegacyChart chart) => List("LAB RESULTS", Section(chart, ResultSection.Labs),
    [
        new("Test", x => x.Name),
        new("LOINC", x => x.Code),
        new("Result", x => x.Value),
        new("Units", x => x.Unit ?? ""),
        new("Ref Range", EhrSite.Range),
        new("Flag", x => x.Flag is "H" or "L" ? x.Flag : ""),
        new("Collected", x => LegacyFormat.DateTime(x.EffectiveAt)),
    ], "No lab results");

    public static ChartList Social(LegacyChart chart) => List("Social history", Section(chart, ResultSection.Social),
    [
        new("Item", x => x.Name),
        new("LOINC", x => x.Code),
        new("Status", x => x.Value),
        new("Status Code", x => x.ValueCode ?? ""),
        new("Date", x => LegacyFormat.DateTime(x.EffectiveAt)),
    ], "No social history recorded");

    public static ChartList Immunizations(Skin skin, LegacyChart chart) => List(
        skin.IsV2 ? "HEALTH MAINTENANCE - Immunizations" : "Immunization Record", chart.Immunizations,
    [
        new("CVX", x => x.CvxCode),
        new("Vaccine", x => x.Vaccine),
        new("Date Given", x => LegacyFormat.Date(x.Date)),
    ], "No immunizations on file");

    public static ChartList Encounters(LegacyChart chart) => List("Visit history", chart.Encounters,
    [
        new("Date", x => LegacyFormat.Short(x.StartAt)),
        new("Time", x => LegacyFormat.Time(x.StartAt)),
        new("Ended", x => LegacyFormat.DateTime(x.EndAt)),
        new("Visit Type", x => x.TypeDisplay),
        new("Type Code", x => x.TypeCode),
        new("Class", x => x.Class),
        new("Provider", x => x.Provider ?? ""),
        new("Reason", x => x.ReasonDisplay ?? ""),
        new("Reason Code", x => x.ReasonCode ?? ""),
    ], "No visits");

    public static ChartList Other(LegacyChart chart) => List("OTHER RESULTS", Section(chart, ResultSection.Other),
    [
        new("Name", x => x.Name),
        new("Code", x => x.Code),
        new("Value", x => x.Value),
        new("Answer Code", x => x.ValueCode ?? ""),
        new("Unit", x => x.Unit ?? ""),
        new("Date", x => LegacyFormat.DateTime(x.EffectiveAt)),
    ], "No other results");

    private static List<LegacyResult> Section(LegacyChart chart, ResultSection section) =>
        chart.Results.Where(r => r.Section == section).ToList();

    private static ChartList List<T>(string heading, IReadOnlyList<T> items, IReadOnlyList<Column<T>> columns, string empty) =>
        new(heading, columns.Select(c => c.Header).ToList(),
            items.Select(x => (IReadOnlyList<string>)columns.Select(c => c.Cell(x)).ToList()).ToList(), empty);
}
