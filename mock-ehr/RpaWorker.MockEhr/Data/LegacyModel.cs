namespace RpaWorker.MockEhr.Data;

// The mock EHR's own data model: flat, legacy-shaped rows, deliberately not FHIR. Dates are kept as
// ISO text because legacy systems hold partial dates ("1987", "1987-03") that no DateOnly can.
// Date-times are "yyyy-MM-ddTHH:mm" in UTC: the mock's clock is UTC and it shows minutes, no seconds.
// Numeric values are held as the screens show them (invariant culture, at most 2 decimals) so that
// what the ground-truth export says is exactly what a person could read off the screen.

/// <summary>A patient row. <see cref="Id"/> is the internal chart number used in URLs.</summary>
public sealed record LegacyPatient
{
    public long Id { get; init; }
    /// <summary>Medical record number as shown in the banner; unique.</summary>
    public required string Mrn { get; init; }
    public required string LastName { get; init; }
    public required string FirstName { get; init; }
    public string? MiddleName { get; init; }
    /// <summary>ISO date, possibly partial ("1987" or "1987-03"), or null when unknown.</summary>
    public string? BirthDate { get; init; }
    /// <summary>"M", "F", "O" or "U".</summary>
    public required string Sex { get; init; }
    public string? AddressLine { get; init; }
    public string? City { get; init; }
    /// <summary>Two-letter state code.</summary>
    public string? State { get; init; }
    public string? Zip { get; init; }
    /// <summary>Phone as the clinic typed it, e.g. "555-201-3344".</summary>
    public string? Phone { get; init; }
    /// <summary>HL7 v3 MaritalStatus code (M, S, D, W, ...), or null.</summary>
    public string? MaritalStatus { get; init; }
    /// <summary>Preferred language as a BCP-47 code (en-US, es, ...), or null.</summary>
    public string? Language { get; init; }
    /// <summary>ISO date-time of death, or null.</summary>
    public string? DeceasedDate { get; init; }
    /// <summary>Number of unsigned notes; a chart with any shows a popup when opened.</summary>
    public int UnsignedNotes { get; init; }
}

/// <summary>A problem-list entry.</summary>
public sealed record LegacyProblem
{
    public long Id { get; init; }
    public long PatientId { get; init; }
    /// <summary>SNOMED CT code.</summary>
    public required string Code { get; init; }
    public required string Description { get; init; }
    /// <summary>ISO date, possibly partial, or null.</summary>
    public string? OnsetDate { get; init; }
    /// <summary>"Active", "Resolved" or "Inactive".</summary>
    public required string Status { get; init; }
    /// <summary>ISO date, or null while active.</summary>
    public string? ResolvedDate { get; init; }
}

/// <summary>A medication order.</summary>
public sealed record LegacyMedication
{
    public long Id { get; init; }
    public long PatientId { get; init; }
    /// <summary>RxNorm code.</summary>
    public required string Code { get; init; }
    public required string Name { get; init; }
    /// <summary>"Active", "Stopped", "Completed" or "On hold".</summary>
    public required string Status { get; init; }
    /// <summary>ISO date.</summary>
    public string? StartDate { get; init; }
    /// <summary>Free-text directions ("sig"), or null.</summary>
    public string? Sig { get; init; }
    /// <summary>Prescriber's display name ("KASSULKE, JUNE"), or null.</summary>
    public string? Prescriber { get; init; }
}

/// <summary>An allergy or intolerance.</summary>
public sealed record LegacyAllergy
{
    public long Id { get; init; }
    public long PatientId { get; init; }
    /// <summary>SNOMED CT (or RxNorm) code of the substance.</summary>
    public required string Code { get; init; }
    /// <summary>Code system URI of <see cref="Code"/>.</summary>
    public required string CodeSystem { get; init; }
    public required string Substance { get; init; }
    /// <summary>Reaction text, or null.</summary>
    public string? Reaction { get; init; }
    /// <summary>"Low", "High", "Unable to assess" or null.</summary>
    public string? Criticality { get; init; }
    /// <summary>"Active", "Inactive" or "Resolved".</summary>
    public required string Status { get; init; }
    /// <summary>"food", "medication", "environment" or "biologic", or null.</summary>
    public string? Category { get; init; }
    /// <summary>ISO date the allergy was recorded, or null.</summary>
    public string? RecordedDate { get; init; }
}

/// <summary>Where a result row is shown in the chart.</summary>
public enum ResultSection
{
    /// <summary>The vitals flowsheet.</summary>
    Vitals,
    /// <summary>Lab results.</summary>
    Labs,
    /// <summary>Social history (smoking status).</summary>
    Social,
    /// <summary>The "other results" list (surveys, exams, anything else).</summary>
    Other,
}

/// <summary>How a result's value is held.</summary>
public enum ResultValueKind
{
    /// <summary>A number with a unit (<see cref="LegacyResult.Value"/> and <see cref="LegacyResult.Unit"/>).</summary>
    Quantity,
    /// <summary>A coded answer (<see cref="LegacyResult.ValueCode"/> with its display in <see cref="LegacyResult.Value"/>).</summary>
    Coded,
    /// <summary>Free text in <see cref="LegacyResult.Value"/>.</summary>
    Text,
    /// <summary>Blood pressure "systolic/diastolic" in <see cref="LegacyResult.Value"/>, unit mm[Hg].</summary>
    BloodPressure,
}

/// <summary>A vital sign, lab result, social-history item or other observation.</summary>
public sealed record LegacyResult
{
    public long Id { get; init; }
    public long PatientId { get; init; }
    public required ResultSection Section { get; init; }
    /// <summary>LOINC code.</summary>
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required ResultValueKind Kind { get; init; }
    /// <summary>The value as shown: "72.5", "Never smoker", "127/83".</summary>
    public required string Value { get; init; }
    /// <summary>UCUM unit for quantities and blood pressure, else null.</summary>
    public string? Unit { get; init; }
    /// <summary>Code of a coded answer (SNOMED CT unless <see cref="ValueCodeSystem"/> says otherwise).</summary>
    public string? ValueCode { get; init; }
    /// <summary>Code system URI of <see cref="ValueCode"/>.</summary>
    public string? ValueCodeSystem { get; init; }
    /// <summary>Reference range low bound as shown, or null.</summary>
    public string? RefLow { get; init; }
    /// <summary>Reference range high bound as shown, or null.</summary>
    public string? RefHigh { get; init; }
    /// <summary>"H", "L", "N" or null when the result has no reference range.</summary>
    public string? Flag { get; init; }
    /// <summary>ISO date-time ("yyyy-MM-ddTHH:mm", UTC).</summary>
    public required string EffectiveAt { get; init; }
}

/// <summary>An immunization given.</summary>
public sealed record LegacyImmunization
{
    public long Id { get; init; }
    public long PatientId { get; init; }
    /// <summary>CVX code.</summary>
    public required string CvxCode { get; init; }
    public required string Vaccine { get; init; }
    /// <summary>ISO date.</summary>
    public required string Date { get; init; }
}

/// <summary>A visit.</summary>
public sealed record LegacyEncounter
{
    public long Id { get; init; }
    public long PatientId { get; init; }
    /// <summary>ISO date-time ("yyyy-MM-ddTHH:mm", UTC).</summary>
    public required string StartAt { get; init; }
    /// <summary>ISO date-time, or null.</summary>
    public string? EndAt { get; init; }
    /// <summary>SNOMED CT code of the visit type.</summary>
    public required string TypeCode { get; init; }
    public required string TypeDisplay { get; init; }
    /// <summary>v3 ActCode class: AMB, EMER, IMP, ...</summary>
    public required string Class { get; init; }
    /// <summary>Provider display name ("KASSULKE, JUNE"), or null.</summary>
    public string? Provider { get; init; }
    /// <summary>Provider NPI, or null.</summary>
    public string? ProviderNpi { get; init; }
    /// <summary>SNOMED CT code of the reason, or null.</summary>
    public string? ReasonCode { get; init; }
    public string? ReasonDisplay { get; init; }
}

/// <summary>A document filed in the chart: a typed clinical note or a scanned letter.</summary>
public sealed record LegacyDocument
{
    /// <summary>"note" (typed into the EHR, shown as text).</summary>
    public const string Note = "note";

    /// <summary>"letter" (scanned from paper, shown only as a picture).</summary>
    public const string Letter = "letter";

    public long Id { get; init; }
    public long PatientId { get; init; }
    /// <summary><see cref="Note"/> or <see cref="Letter"/>.</summary>
    public required string Type { get; init; }
    /// <summary>ISO date the document was written.</summary>
    public required string Date { get; init; }
    /// <summary>Author's display name ("KASSULKE, JUNE").</summary>
    public required string Author { get; init; }
    public required string Title { get; init; }
    /// <summary>The whole text; lines are separated by "\n". For a letter it is what the scan shows.</summary>
    public required string Text { get; init; }
}

/// <summary>A whole chart: a patient and everything filed under them.</summary>
public sealed record LegacyChart
{
    public required LegacyPatient Patient { get; init; }
    public IReadOnlyList<LegacyProblem> Problems { get; init; } = [];
    public IReadOnlyList<LegacyMedication> Medications { get; init; } = [];
    public IReadOnlyList<LegacyAllergy> Allergies { get; init; } = [];
    public IReadOnlyList<LegacyResult> Results { get; init; } = [];
    public IReadOnlyList<LegacyImmunization> Immunizations { get; init; } = [];
    public IReadOnlyList<LegacyEncounter> Encounters { get; init; } = [];
    public IReadOnlyList<LegacyDocument> Documents { get; init; } = [];
}
