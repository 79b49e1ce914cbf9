using System.Globalization;
using Hl7.Fhir.Model;
using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr.Export;

/// <summary>
/// Maps a legacy chart to FHIR R4 resources carrying the legacy values and nothing more: what a person could
/// read off the screens, so that the worker's output can be scored against it.
/// </summary>
internal static class GroundTruthMapper
{
    /// <summary>Identifier system of the mock EHR's MRNs.</summary>
    public const string MrnSystem = "urn:rpaworker:mock-ehr:mrn";

    private const string Snomed = CodeSystems.Snomed;
    private const string Loinc = CodeSystems.Loinc;
    private const string RxNorm = CodeSystems.RxNorm;
    private const string Cvx = CodeSystems.Cvx;
    private const string Ucum = CodeSystems.Ucum;
    private const string Mmhg = "mm[Hg]";

    /// <summary>The chart's resources: the Patient first, then each table ordered by row id.</summary>
    public static IEnumerable<Resource> ToFhir(LegacyChart chart)
    {
        var p = chart.Patient;
        var subject = new ResourceReference("Patient/" + PatientId(p.Id));
        yield return ToPatient(p);
        foreach (var x in chart.Problems.OrderBy(x => x.Id))
        {
            yield return ToCondition(x, subject);
        }
        foreach (var x in chart.Medications.OrderBy(x => x.Id))
        {
            yield return ToMedicationRequest(x, subject);
        }
        foreach (var x in chart.Allergies.OrderBy(x => x.Id))
        {
            yield return ToAllergy(x, subject);
        }
        foreach (var x in chart.Results.OrderBy(x => x.Id))
        {
            yield return ToObservation(x, subject);
        }
        foreach (var x in chart.Immunizations.OrderBy(x => x.Id))
        {
            yield return ToImmunization(x, subject);
        }
        foreach (var x in chart.Encounters.OrderBy(x => x.Id))
        {
            yield return ToEncounter(x, subject);
        }
        foreach (var x in chart.Documents.OrderBy(x => x.Id))
        {
            yield return ToDocumentReference(x, subject);
        }
    }

    /// <summary>LOINC document types: a typed note is a progress note, a letter from another clinic a consult note.</summary>
    internal static (string Code, string Display) DocumentTypeOf(string type) =>
        type == LegacyDocument.Letter ? ("11488-4", "Consult note") : ("11506-3", "Progress note");

    // The attachment holds the text the document shows (for a letter, what its scan reads), not the picture: that is
    // what a worker reading the screens can be scored against.
    private static DocumentReference ToDocumentReference(LegacyDocument x, ResourceReference subject)
    {
        var (code, display) = DocumentTypeOf(x.Type);
        return new DocumentReference
        {
            Id = RowId("document", x.Id),
            Status = DocumentReferenceStatus.Current,
            Type = Concept(Loinc, code, display),
            Category = [Concept("http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "clinical-note", "Clinical Note")],
            Subject = subject,
            Description = x.Title,
            Author = [new ResourceReference { Display = x.Author }],
            Content =
            [
                new DocumentReference.ContentComponent
                {
                    Attachment = new Attachment
                    {
                        ContentType = "text/plain",
                        Data = System.Text.Encoding.UTF8.GetBytes(x.Text),
                        Title = x.Title,
                    },
                },
            ],
            Context = new DocumentReference.ContextComponent { Period = new Period { Start = x.Date } },
        };
    }

    public static string PatientId(long id) => "mock-" + id.ToString(CultureInfo.InvariantCulture);

    private static string RowId(string table, long id) => $"mock-{table}-{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"yyyy-MM-ddTHH:mm" (UTC) as a FHIR dateTime; FHIR requires seconds and a zone once a time is given.</summary>
    internal static FhirDateTime? DateTimeOf(string? value) =>
        value is null ? null : new FhirDateTime(value.Length == 16 ? value + ":00+00:00" : value);

    private static string? DateTimeText(string? value) => DateTimeOf(value)?.Value;

    private static CodeableConcept Concept(string system, string code, string? display) =>
        new() { Coding = [new Coding(system, code, display)] };

    private static CodeableConcept Category(string system, string code) => Concept(system, code, null);

    private static Quantity Quantity(LegacyResult row, string value, string? unit) => new()
    {
        // A quantity row whose value is not a number is a bug in whatever filled the store; name the row, not the value.
        Value = decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidDataException($"Result row {row.Id}: {row.Kind} value is not a number."),
        Unit = unit,
        System = unit is null ? null : Ucum,
        Code = unit,
    };

    private static Patient ToPatient(LegacyPatient p)
    {
        var patient = new Patient
        {
            Id = PatientId(p.Id),
            Identifier =
            [
                new Identifier(MrnSystem, p.Mrn)
                {
                    Type = Concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", null),
                },
            ],
            Name =
            [
                new HumanName
                {
                    Use = HumanName.NameUse.Official,
                    Family = p.LastName,
                    Given = new[] { p.FirstName, p.MiddleName }.OfType<string>().Where(g => g.Length > 0).ToList(),
                },
            ],
            Gender = p.Sex switch
            {
                "M" => AdministrativeGender.Male,
                "F" => AdministrativeGender.Female,
                "O" => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
            BirthDate = p.BirthDate,
            Deceased = DateTimeOf(p.DeceasedDate),
        };
        if (p.AddressLine is not null || p.City is not null || p.State is not null || p.Zip is not null)
        {
            patient.Address =
            [
                new Address
                {
                    Line = p.AddressLine is null ? [] : [p.AddressLine],
                    City = p.City,
                    State = p.State,
                    PostalCode = p.Zip,
                },
            ];
        }
        if (p.Phone is not null)
        {
            patient.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, p.Phone)];
        }
        if (p.MaritalStatus is not null)
        {
            patient.MaritalStatus = Category("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", p.MaritalStatus);
        }
        if (p.Language is not null)
        {
            patient.Communication = [new Patient.CommunicationComponent { Language = Category("urn:ietf:bcp:47", p.Language) }];
        }
        return patient;
    }

    private static Condition ToCondition(LegacyProblem x, ResourceReference subject) => new()
    {
        Id = RowId("problem", x.Id),
        ClinicalStatus = Category("http://terminology.hl7.org/CodeSystem/condition-clinical", x.Status.ToLowerInvariant()),
        Category = [Concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")],
        Code = Concept(Snomed, x.Code, x.Description),
        Subject = subject,
        Onset = x.OnsetDate is null ? null : new FhirDateTime(x.OnsetDate),
        Abatement = x.ResolvedDate is null ? null : new FhirDateTime(x.ResolvedDate),
    };

    private static MedicationRequest ToMedicationRequest(LegacyMedication x, ResourceReference subject) => new()
    {
        Id = RowId("medication", x.Id),
        Status = x.Status switch
        {
            "Active" => MedicationRequest.MedicationrequestStatus.Active,
            "Stopped" => MedicationRequest.MedicationrequestStatus.Stopped,
            "Completed" => MedicationRequest.MedicationrequestStatus.Completed,
            "On hold" => MedicationRequest.MedicationrequestStatus.OnHold,
            "Cancelled" => MedicationRequest.MedicationrequestStatus.Cancelled,
            "Draft" => MedicationRequest.MedicationrequestStatus.Draft,
            _ => MedicationRequest.MedicationrequestStatus.Unknown,
        },
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = Concept(RxNorm, x.Code, x.Name),
        Subject = subject,
        AuthoredOn = x.StartDate,
        Requester = x.Prescriber is null ? null : new ResourceReference { Display = x.Prescriber },
        DosageInstruction = x.Sig is null ? [] : [new Dosage { Text = x.Sig }],
    };

    private static AllergyIntolerance ToAllergy(LegacyAllergy x, ResourceReference subject) => new()
    {
        Id = RowId("allergy", x.Id),
        ClinicalStatus = Category("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", x.Status.ToLowerInvariant()),
        Category = x.Category switch
        {
            "food" => [AllergyIntolerance.AllergyIntoleranceCategory.Food],
            "medication" => [AllergyIntolerance.AllergyIntoleranceCategory.Medication],
            "environment" => [AllergyIntolerance.AllergyIntoleranceCategory.Environment],
            "biologic" => [AllergyIntolerance.AllergyIntoleranceCategory.Biologic],
            _ => [],
        },
        Criticality = x.Criticality switch
        {
            "Low" => AllergyIntolerance.AllergyIntoleranceCriticality.Low,
            "High" => AllergyIntolerance.AllergyIntoleranceCriticality.High,
            "Unable to assess" => AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess,
            _ => null,
        },
        Code = Concept(x.CodeSystem, x.Code, x.Substance),
        Patient = subject,
        RecordedDate = x.RecordedDate,
        Reaction = x.Reaction is null ? [] : [new AllergyIntolerance.ReactionComponent { Manifestation = [new CodeableConcept { Text = x.Reaction }] }],
    };

    private static Observation ToObservation(LegacyResult x, ResourceReference subject)
    {
        var (category, categoryDisplay) = x.Section switch
        {
            ResultSection.Vitals => ("vital-signs", "Vital Signs"),
            ResultSection.Labs => ("laboratory", "Laboratory"),
            ResultSection.Social => ("social-history", "Social History"),
            _ => ("survey", "Survey"),
        };
        var obs = new Observation
        {
            Id = RowId("result", x.Id),
            Status = ObservationStatus.Final,
            Category = [Concept("http://terminology.hl7.org/CodeSystem/observation-category", category, categoryDisplay)],
            Code = Concept(Loinc, x.Code, x.Name),
            Subject = subject,
            Effective = DateTimeOf(x.EffectiveAt),
        };
        switch (x.Kind)
        {
            case ResultValueKind.BloodPressure:
                var parts = x.Value.Split('/') is [var systolic, var diastolic]
                    ? (Sys: systolic, Dia: diastolic)
                    : throw new InvalidDataException($"Result row {x.Id}: blood pressure is not \"sys/dia\".");
                obs.Code = Concept(Loinc, "85354-9", "Blood pressure panel with all children optional");
                obs.Component =
                [
                    new Observation.ComponentComponent { Code = Concept(Loinc, "8480-6", "Systolic blood pressure"), Value = Quantity(x, parts.Sys, Mmhg) },
                    new Observation.ComponentComponent { Code = Concept(Loinc, "8462-4", "Diastolic blood pressure"), Value = Quantity(x, parts.Dia, Mmhg) },
                ];
                break;
            case ResultValueKind.Quantity:
                obs.Value = Quantity(x, x.Value, x.Unit);
                break;
            case ResultValueKind.Coded:
                obs.Value = x.ValueCode is null
                    ? new CodeableConcept { Text = x.Value }
                    : Concept(x.ValueCodeSystem ?? Snomed, x.ValueCode, x.Value);
                break;
            case ResultValueKind.Text when x.Value.Length > 0:
                obs.Value = new FhirString(x.Value);
                break;
        }
        if (x.RefLow is not null || x.RefHigh is not null)
        {
            obs.ReferenceRange =
            [
                new Observation.ReferenceRangeComponent
                {
                    Low = x.RefLow is null ? null : Quantity(x, x.RefLow, x.Unit),
                    High = x.RefHigh is null ? null : Quantity(x, x.RefHigh, x.Unit),
                },
            ];
        }
        // The lab screen flags only what is out of range (H, L); a normal result shows no flag, so none is exported.
        if (x.Flag is "H" or "L")
        {
            var flag = x.Flag;
            var display = flag == "H" ? "High" : "Low";
            obs.Interpretation = [Concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag, display)];
        }
        return obs;
    }

    private static Immunization ToImmunization(LegacyImmunization x, ResourceReference subject) => new()
    {
        Id = RowId("immunization", x.Id),
        Status = Immunization.ImmunizationStatusCodes.Completed,
        VaccineCode = Concept(Cvx, x.CvxCode, x.Vaccine),
        Patient = subject,
        Occurrence = new FhirDateTime(x.Date),
    };

    private static Encounter ToEncounter(LegacyEncounter x, ResourceReference subject)
    {
        var encounter = new Encounter
        {
            Id = RowId("encounter", x.Id),
            Status = x.EndAt is null ? Encounter.EncounterStatus.InProgress : Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", x.Class),
            Type = [Concept(Snomed, x.TypeCode, x.TypeDisplay)],
            Subject = subject,
            Period = new Period { Start = DateTimeText(x.StartAt), End = DateTimeText(x.EndAt) },
        };
        // The visit list shows the provider's name only, not the NPI, so the ground truth carries the name only.
        if (x.Provider is not null)
        {
            encounter.Participant =
            [
                new Encounter.ParticipantComponent
                {
                    Individual = new ResourceReference { Display = x.Provider },
                },
            ];
        }
        if (x.ReasonCode is not null)
        {
            encounter.ReasonCode = [Concept(Snomed, x.ReasonCode, x.ReasonDisplay)];
        }
        return encounter;
    }
}
