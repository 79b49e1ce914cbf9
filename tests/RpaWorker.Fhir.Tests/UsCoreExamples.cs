namespace RpaWorker.Fhir.Tests;

/// <summary>
/// Minimal assignments that make each resource type conform to its US Core profile; docs/fhir-mapping.md lists
/// the same sets for playbook authors.
/// </summary>
internal static class UsCoreExamples
{
    public const string PatientReference = "Patient/5e1d2b0c3f";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    public static (string, string)[] Patient =>
    [
        ("identifier[0].system", "http://mock-ehr.example/mrn"),
        ("identifier[0].value", "400001"),
        ("name[0].family", "DOE"),
        ("name[0].given[0]", "JOHN"),
        ("gender", "male"),
        ("birthDate", "1987-03-14"),
    ];

    public static (string, string)[] Condition =>
    [
        ("clinicalStatus.coding[0].system", "http://terminology.hl7.org/CodeSystem/condition-clinical"),
        ("clinicalStatus.coding[0].code", "active"),
        ("verificationStatus.coding[0].system", "http://terminology.hl7.org/CodeSystem/condition-ver-status"),
        ("verificationStatus.coding[0].code", "confirmed"),
        ("category[0].coding[0].system", "http://terminology.hl7.org/CodeSystem/condition-category"),
        ("category[0].coding[0].code", "problem-list-item"),
        ("code.coding[0].system", Snomed),
        ("code.coding[0].code", "38341003"),
        ("code.coding[0].display", "Hypertension"),
        ("onsetDateTime", "1999-02-16"),
        ("subject.reference", PatientReference),
    ];

    public static (string, string)[] MedicationRequest =>
    [
        ("status", "active"),
        ("intent", "order"),
        ("medicationCodeableConcept.coding[0].system", "http://www.nlm.nih.gov/research/umls/rxnorm"),
        ("medicationCodeableConcept.coding[0].code", "197361"),
        ("medicationCodeableConcept.coding[0].display", "Amlodipine 5 MG Oral Tablet"),
        ("subject.reference", PatientReference),
        ("authoredOn", "2019-03-05"),
        ("requester.display", "Dr. Smith"),
        ("dosageInstruction[0].text", "Take 1 tablet by mouth daily"),
        ("dosageInstruction[0].timing.repeat.frequency", "1"),
        ("dosageInstruction[0].timing.repeat.period", "1"),
        ("dosageInstruction[0].timing.repeat.periodUnit", "d"),
    ];

    public static (string, string)[] AllergyIntolerance =>
    [
        ("clinicalStatus.coding[0].system", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"),
        ("clinicalStatus.coding[0].code", "active"),
        ("verificationStatus.coding[0].system", "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"),
        ("verificationStatus.coding[0].code", "confirmed"),
        ("code.coding[0].system", "http://www.nlm.nih.gov/research/umls/rxnorm"),
        ("code.coding[0].code", "7980"),
        ("code.coding[0].display", "Penicillin G"),
        ("patient.reference", PatientReference),
        ("reaction[0].manifestation[0].coding[0].system", Snomed),
        ("reaction[0].manifestation[0].coding[0].code", "247472004"),
        ("reaction[0].manifestation[0].coding[0].display", "Hives"),
        ("reaction[0].severity", "moderate"),
    ];

    public static (string, string)[] LabObservation =>
    [
        ("status", "final"),
        ("category[0].coding[0].system", ObservationCategory),
        ("category[0].coding[0].code", "laboratory"),
        ("code.coding[0].system", Loinc),
        ("code.coding[0].code", "2339-0"),
        ("code.coding[0].display", "Glucose [Mass/volume] in Blood"),
        ("subject.reference", PatientReference),
        ("effectiveDateTime", "2019-03-05T10:30:00-05:00"),
        ("valueQuantity.value", "105"),
        ("valueQuantity.unit", "mg/dL"),
        ("valueQuantity.system", Ucum),
        ("valueQuantity.code", "mg/dL"),
        ("referenceRange[0].low.value", "70"),
        ("referenceRange[0].low.unit", "mg/dL"),
        ("referenceRange[0].low.system", Ucum),
        ("referenceRange[0].low.code", "mg/dL"),
        ("referenceRange[0].high.value", "99"),
        ("referenceRange[0].high.unit", "mg/dL"),
        ("referenceRange[0].high.system", Ucum),
        ("referenceRange[0].high.code", "mg/dL"),
        ("interpretation[0].coding[0].system", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"),
        ("interpretation[0].coding[0].code", "H"),
    ];

    public static (string, string)[] Bmi => Vital("39156-5", "Body mass index (BMI) [Ratio]",
    [
        ("valueQuantity.value", "24.5"),
        ("valueQuantity.unit", "kg/m2"),
        ("valueQuantity.system", Ucum),
        ("valueQuantity.code", "kg/m2"),
    ]);

    public static (string, string)[] BloodPressure => Vital("85354-9", "Blood pressure panel",
    [
        ("component[0].code.coding[0].system", Loinc),
        ("component[0].code.coding[0].code", "8480-6"),
        ("component[0].valueQuantity.value", "127"),
        ("component[0].valueQuantity.unit", "mmHg"),
        ("component[0].valueQuantity.system", Ucum),
        ("component[0].valueQuantity.code", "mm[Hg]"),
        ("component[1].code.coding[0].system", Loinc),
        ("component[1].code.coding[0].code", "8462-4"),
        ("component[1].valueQuantity.value", "80"),
        ("component[1].valueQuantity.unit", "mmHg"),
        ("component[1].valueQuantity.system", Ucum),
        ("component[1].valueQuantity.code", "mm[Hg]"),
    ]);

    public static (string, string)[] SmokingStatus =>
    [
        ("status", "final"),
        ("category[0].coding[0].system", ObservationCategory),
        ("category[0].coding[0].code", "social-history"),
        ("code.coding[0].system", Loinc),
        ("code.coding[0].code", "72166-2"),
        ("subject.reference", PatientReference),
        ("effectiveDateTime", "2019-03-05"),
        ("valueCodeableConcept.coding[0].system", Snomed),
        ("valueCodeableConcept.coding[0].code", "266919005"),
        ("valueCodeableConcept.coding[0].display", "Never smoked tobacco"),
    ];

    public static (string, string)[] Immunization =>
    [
        ("status", "completed"),
        ("vaccineCode.coding[0].system", "http://hl7.org/fhir/sid/cvx"),
        ("vaccineCode.coding[0].code", "140"),
        ("patient.reference", PatientReference),
        ("occurrenceDateTime", "2019-10-01"),
        ("primarySource", "true"),
    ];

    public static (string, string)[] Encounter =>
    [
        ("identifier[0].system", "http://mock-ehr.example/visit"),
        ("identifier[0].value", "V-1001"),
        ("status", "finished"),
        ("class.system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"),
        ("class.code", "AMB"),
        ("type[0].coding[0].system", "http://www.ama-assn.org/go/cpt"),
        ("type[0].coding[0].code", "99213"),
        ("type[0].text", "Office visit"),
        ("subject.reference", PatientReference),
        ("period.start", "2019-03-05T09:00:00-05:00"),
    ];

    public static (string, string)[] Practitioner =>
    [
        ("identifier[0].system", "http://hl7.org/fhir/sid/us-npi"),
        ("identifier[0].value", "1234567893"),
        ("name[0].family", "SMITH"),
        ("name[0].given[0]", "ANNA"),
    ];

    private static (string, string)[] Vital(string loinc, string display, (string, string)[] values) =>
    [
        ("status", "final"),
        ("category[0].coding[0].system", ObservationCategory),
        ("category[0].coding[0].code", "vital-signs"),
        ("code.coding[0].system", Loinc),
        ("code.coding[0].code", loinc),
        ("code.coding[0].display", display),
        ("subject.reference", PatientReference),
        ("effectiveDateTime", "2019-03-05T09:10:00-05:00"),
        .. values,
    ];
}
