using System.Globalization;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Generate;

/// <summary>
/// Writes a generated chart's documents: progress notes and scanned letters whose prose mentions some of the
/// patient's own problems, medications and allergies, as free text a playbook can only read with the LLM tier.
/// </summary>
/// <remarks>
/// It draws from its own random stream so adding documents left every other generated row as it was.
/// </remarks>
internal static class DocumentWriter
{
    public const int MaxDocuments = 3;

    private static readonly string[] NoteTitles = ["Progress Note", "Office Visit Note", "Telephone Encounter"];
    private static readonly string[] LetterTitles = ["Consult Letter", "Referral Response", "Discharge Letter"];
    private static readonly string[] Clinics = ["Riverside Cardiology", "Lakeview Endocrinology", "North Hills Pulmonary", "Valley Orthopedics"];

    public static IReadOnlyList<LegacyDocument> Write(int seed, int index, LegacyChart chart, DateTime end)
    {
        var rng = new Random(GeneratorRandom.Mix(GeneratorRandom.Mix(seed, index), 0x0D0C));
        var count = rng.Next(0, MaxDocuments + 1);
        var documents = new List<LegacyDocument>();
        for (var i = 0; i < count; i++)
        {
            var date = chart.Encounters.Count > 0
                ? chart.Encounters[rng.Next(chart.Encounters.Count)].StartAt[..10]
                : end.AddDays(-rng.Next(10, 400)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var problems = rng.Sample(chart.Problems.Where(p => p.Status == "Active").ToList(), 2);
            var meds = rng.Sample(chart.Medications.Where(m => m.Status == "Active").ToList(), 2);
            var allergy = rng.Sample(chart.Allergies, 1).FirstOrDefault();
            var author = rng.Pick(ClinicalCatalog.Providers).Name;
            documents.Add(rng.Chance(0.5)
                ? new LegacyDocument
                {
                    Type = LegacyDocument.Note, Date = date, Author = author, Title = rng.Pick(NoteTitles),
                    Text = Note(problems, meds, allergy),
                }
                : new LegacyDocument
                {
                    Type = LegacyDocument.Letter, Date = date, Author = author, Title = rng.Pick(LetterTitles),
                    Text = Letter(chart.Patient, rng.Pick(Clinics), date, author, problems, meds, allergy),
                });
        }
        return documents.OrderBy(d => d.Date, StringComparer.Ordinal).ToList();
    }

    private static string Note(IReadOnlyList<LegacyProblem> problems, IReadOnlyList<LegacyMedication> meds, LegacyAllergy? allergy)
    {
        var lines = new List<string> { "Subjective: patient seen today for routine follow-up, feels well overall." };
        lines.Add(problems.Count == 0
            ? "Assessment: no active chronic problems."
            : $"Assessment: {Listed(problems.Select(p => p.Description.ToLowerInvariant()))}, stable.");
        foreach (var m in meds)
        {
            lines.Add($"Continues {m.Name}{(m.Sig is null ? "" : ", " + m.Sig.TrimEnd('.').ToLowerInvariant())}.");
        }
        if (allergy is not null)
        {
            lines.Add($"Allergy to {allergy.Substance.ToLowerInvariant()} noted{(allergy.Reaction is null ? "" : $" (reaction: {allergy.Reaction.ToLowerInvariant()})")}.");
        }
        lines.Add("Plan: continue current treatment, return in 3 months.");
        return string.Join('\n', lines);
    }

    private static string Letter(LegacyPatient patient, string clinic, string date, string author, IReadOnlyList<LegacyProblem> problems,
        IReadOnlyList<LegacyMedication> meds, LegacyAllergy? allergy)
    {
        var signer = author.Split(", ") is [var last, var first] ? $"{Title(first)} {Title(last)}, MD" : author;
        var lines = new List<string>
        {
            clinic,
            DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture),
            $"Re: {patient.FirstName} {patient.LastName}, MRN {patient.Mrn}",
            "Dear colleague,",
            "Thank you for asking us to see your patient.",
        };
        if (problems.Count > 0)
        {
            lines.Add($"We agree with the diagnosis of {Listed(problems.Select(p => p.Description.ToLowerInvariant()))}.");
        }
        if (meds.Count > 0)
        {
            lines.Add($"Please continue {Listed(meds.Select(m => m.Name))}.");
        }
        if (allergy is not null)
        {
            lines.Add($"Note the allergy to {allergy.Substance.ToLowerInvariant()}{(allergy.Reaction is null ? "" : $", which caused {allergy.Reaction.ToLowerInvariant()}")}.");
        }
        lines.Add("Sincerely,");
        lines.Add(signer);
        return string.Join('\n', lines);
    }

    private static string Listed(IEnumerable<string> items) => items.ToList() switch
    {
        [var one] => one,
        [.. var head, var last] => $"{string.Join(", ", head)} and {last}",
        _ => "",
    };

    private static string Title(string word) =>
        word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant();
}
