using System.Globalization;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Tests.Web;

/// <summary>Hand-built charts with the awkward cases the screens must cope with.</summary>
internal static class TestCharts
{
    public const string DoeMrn = "100001";
    public const string JaneMrn = "100002";
    public const string ObrienMrn = "100003";
    public const string MullerMrn = "100004";
    public const int DoeProblemCount = 45;
    public const string ScriptSig = "<script>alert(1)</script> Take 1 tablet by mouth daily";

    /// <summary>A store holding every chart below.</summary>
    public static LegacyStore Store()
    {
        var store = LegacyStore.InMemory();
        foreach (var chart in new[] { JohnDoe(), JaneDoe(), Obrien(), Muller() })
        {
            store.AddChart(chart);
        }
        return store;
    }

    public static LegacyPatient Patient(string mrn, string last, string first, string? middle, string? birthDate, string sex) => new()
    {
        Mrn = mrn,
        LastName = last,
        FirstName = first,
        MiddleName = middle,
        BirthDate = birthDate,
        Sex = sex,
        AddressLine = "12 Elm St",
        City = "Springfield",
        State = "MA",
        Zip = "01101",
        Phone = "555-201-3344",
        MaritalStatus = "M",
        Language = "es",
    };

    /// <summary>DOE, JOHN A: 45 problems, ten vitals dates, labs, allergies, visits and the rest.</summary>
    public static LegacyChart JohnDoe() => new()
    {
        Patient = Patient(DoeMrn, "Doe", "John", "Andrew", "1987-03-14", "M"),
        Problems = Enumerable.Range(1, DoeProblemCount).Select(i => new LegacyProblem
        {
            Code = (400000 + i).ToString(CultureInfo.InvariantCulture),
            Description = $"Problem number {i:00}",
            OnsetDate = i % 3 == 0 ? "1987" : i % 3 == 1 ? "2001-03" : "2010-06-15",
            Status = i % 2 == 0 ? "Resolved" : "Active",
            ResolvedDate = i % 2 == 0 ? "2015-01-02" : null,
        }).ToList(),
        Medications =
        [
            new() { Code = "314076", Name = "lisinopril 10 MG Oral Tablet", Status = "Active", StartDate = "2018-05-01", Sig = "1 tab PO daily" },
        ],
        Allergies =
        [
            new() { Code = "91936005", CodeSystem = "http://snomed.info/sct", Substance = "Penicillin", Reaction = "Hives", Criticality = "High", Status = "Active", Category = "medication", RecordedDate = "2011-04-02" },
            new() { Code = "300913006", CodeSystem = "http://snomed.info/sct", Substance = "Shellfish", Reaction = "Anaphylaxis", Criticality = "High", Status = "Active" },
        ],
        Results =
        [
            .. Enumerable.Range(0, 10).SelectMany(i => Vitals(new DateTime(2019, 3, 5, 9, 30, 0).AddDays(i * 30), 127 + i)),
            new()
            {
                Section = ResultSection.Labs, Code = "2093-3", Name = "Total Cholesterol", Kind = ResultValueKind.Quantity, Value = "212",
                Unit = "mg/dL", RefHigh = "200", Flag = "H", EffectiveAt = "2019-03-14T14:05",
            },
            new()
            {
                Section = ResultSection.Social, Code = "72166-2", Name = "Tobacco smoking status", Kind = ResultValueKind.Coded,
                Value = "Never smoker", ValueCode = "266919005", EffectiveAt = "2019-03-14T14:05",
            },
            new()
            {
                Section = ResultSection.Other, Code = "44249-1", Name = "PHQ-9 total score", Kind = ResultValueKind.Quantity,
                Value = "4", Unit = "{score}", EffectiveAt = "2019-03-14T14:05",
            },
        ],
        Immunizations = [new() { CvxCode = "140", Vaccine = "Influenza, seasonal, injectable", Date = "2019-10-01" }],
        Encounters =
        [
            new()
            {
                StartAt = "2019-03-05T09:30", TypeCode = "185349003", TypeDisplay = "Encounter for check up", Class = "AMB",
                Provider = "KASSULKE, JUNE", ReasonDisplay = "Hypertension",
            },
        ],
    };

    public static LegacyChart JaneDoe() => new()
    {
        Patient = Patient(JaneMrn, "Doe", "Jane", null, "1990-07-04", "F") with { UnsignedNotes = 3 },
    };

    public static LegacyChart Obrien() => new()
    {
        Patient = Patient(ObrienMrn, "O'Brien", "Patrick", "Sean", "1962-11-30", "M"),
        Medications = [new() { Code = "197361", Name = "amlodipine 5 MG Oral Tablet", Status = "Active", StartDate = "2020-02-02", Sig = ScriptSig }],
    };

    public static LegacyChart Muller() => new()
    {
        Patient = Patient(MullerMrn, "Müller", "José", null, "1955", "O"),
    };

    private static IEnumerable<LegacyResult> Vitals(DateTime at, int systolic)
    {
        var when = at.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        yield return new() { Section = ResultSection.Vitals, Code = "85354-9", Name = "Blood Pressure", Kind = ResultValueKind.BloodPressure, Value = $"{systolic}/83", Unit = "mm[Hg]", EffectiveAt = when };
        yield return new() { Section = ResultSection.Vitals, Code = "29463-7", Name = "Body Weight", Kind = ResultValueKind.Quantity, Value = "72.5", Unit = "kg", EffectiveAt = when };
    }
}
