using System.Globalization;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Web;

/// <summary>
/// The adult relative who pays for a patient's care, as the v2 skin shows it under the demographics (web and desktop).
/// It is made up from the patient's MRN (so every run shows the same) and is not part of the legacy data model nor of
/// the ground truth: it is there because upgraded screens add such blocks, and its date of birth sits under a label
/// that reads like the patient's, which a self-healing reader must not take for the patient's own.
/// </summary>
internal sealed record Guarantor(string Name, string Relationship, string BirthDate)
{
    /// <summary>The block's heading and labels. "D.O.B:" reads as "DOB" but contains neither "DOB:" nor "D.O.B.:".</summary>
    public const string Heading = "Guarantor";
    public const string NameLabel = "Name:";
    public const string RelationshipLabel = "Relationship:";
    public const string BirthDateLabel = "D.O.B:";

    private static readonly string[] FirstNames = ["MARGARET", "ROBERT", "LINDA", "JAMES", "PATRICIA", "MICHAEL", "BARBARA", "DAVID"];

    /// <summary>The guarantor of <paramref name="patient"/>: a parent born 22 to 38 years earlier, on another day of the year.</summary>
    public static Guarantor For(LegacyPatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var seed = patient.Mrn.Aggregate(17, (h, c) => unchecked((h * 31) + c)) & 0x7fffffff;
        var born = patient.BirthDate is { Length: >= 4 } b && int.TryParse(b[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            ? new DateOnly(year, 7, 1)
            : new DateOnly(1980, 7, 1);
        var date = born.AddYears(-(22 + (seed % 17))).AddDays(-(1 + (seed / 17 % 300)));
        return new Guarantor($"{patient.LastName.ToUpperInvariant()}, {FirstNames[seed % FirstNames.Length]}", "Parent",
            date.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture));
    }

    /// <summary>The block's rows: label and value.</summary>
    public IReadOnlyList<(string Label, string Value)> Rows => [(NameLabel, Name), (RelationshipLabel, Relationship), (BirthDateLabel, BirthDate)];
}
