using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Import;

namespace RpaWorker.MockEhr.Tests.Import;

/// <summary>Field mapping on a small hand-written bundle covering what Synthea's output does not.</summary>
public sealed class FhirBundleImporterMappingTests
{
    private const string Bundle = """
        {"resourceType":"Bundle","type":"collection","entry":[
          {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","id":"p1",
            "identifier":[{"system":"urn:other","value":"X"},{"type":{"coding":[{"code":"MR"}]},"system":"urn:test","value":"TEST-1"}],
            "name":[{"use":"maiden","family":"Roe","given":["Jane"]},{"use":"official","family":"Doe","given":["Jane","Quinn"]}],
            "telecom":[{"system":"email","value":"j@example.org"},{"system":"phone","value":"555-201-3344"}],
            "gender":"other","birthDate":"1987-03","deceasedDateTime":"2020-01-02T03:04:05-05:00",
            "address":[{"line":["1 Main St","Apt 2"],"city":"Burlington","state":"VT","postalCode":"05401"}]}},
          {"fullUrl":"urn:uuid:dr","resource":{"resourceType":"Practitioner","id":"dr",
            "identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1234"}],"name":[{"family":"Smith","given":["Ann"]}]}},
          {"resource":{"resourceType":"Encounter","class":{"code":"EMER"},
            "type":[{"coding":[{"system":"http://snomed.info/sct","code":"50849002","display":"Emergency visit"}]}],
            "participant":[{"individual":{"reference":"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234"}}],
            "period":{"start":"2020-01-01T10:00:30-05:00"}}},
          {"resource":{"resourceType":"MedicationRequest","status":"on-hold","authoredOn":"2019-12-31T23:30:00-05:00",
            "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197361"}],"text":"Amlodipine 5 MG"},
            "requester":{"reference":"Practitioner/dr"},
            "dosageInstruction":[{"timing":{"repeat":{"frequency":2,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":{"value":1}}]}]}},
          {"resource":{"resourceType":"Condition","clinicalStatus":{"coding":[{"code":"remission"}]},
            "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes"}]},
            "onsetDateTime":"2001","abatementDateTime":"2010-05-06T00:00:00Z"}},
          {"resource":{"resourceType":"AllergyIntolerance","criticality":"unable-to-assess","category":["medication"],
            "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7980","display":"Penicillin G"}]},
            "reaction":[{"manifestation":[{"coding":[{"code":"271807003","display":"Rash"}]}]}]}},
          {"resource":{"resourceType":"Observation","category":[{"coding":[{"code":"laboratory"}]}],
            "code":{"coding":[{"system":"http://loinc.org","code":"2093-3","display":"Cholesterol"}]},
            "effectiveDateTime":"2020-01-01T10:00:00-05:00","valueQuantity":{"value":250.456,"unit":"mg/dL"}}},
          {"resource":{"resourceType":"Observation","category":[{"coding":[{"code":"vital-signs"}]}],
            "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},
            "effectiveDateTime":"2020-01-01T10:00:00-05:00"}},
          {"resource":{"resourceType":"Claim","status":"active"}}
        ]}
        """;

    [Fact]
    public void ImportFolder_HandWrittenBundle_MapsEachFieldAsTheScreensShowIt()
    {
        var (report, chart) = ImportOne(Bundle);

        var p = chart.Patient;
        Assert.Equal(("TEST-1", "Doe", "Jane", "Quinn"), (p.Mrn, p.LastName, p.FirstName, p.MiddleName));
        Assert.Equal(("1987-03", "O", "555-201-3344"), (p.BirthDate, p.Sex, p.Phone));
        Assert.Equal(("1 Main St", "Burlington", "VT", "05401"), (p.AddressLine, p.City, p.State, p.Zip));
        Assert.Equal("2020-01-02T08:04", p.DeceasedDate);

        var encounter = Assert.Single(chart.Encounters);
        Assert.Equal(("2020-01-01T15:00", null, "EMER"), (encounter.StartAt, encounter.EndAt, encounter.Class));
        Assert.Equal(("SMITH, ANN", "1234"), (encounter.Provider, encounter.ProviderNpi));

        var med = Assert.Single(chart.Medications);
        Assert.Equal(("Amlodipine 5 MG", "On hold", "2019-12-31"), (med.Name, med.Status, med.StartDate));
        Assert.Equal(("1 tablet 2 times per 1 day", "SMITH, ANN"), (med.Sig, med.Prescriber));

        var problem = Assert.Single(chart.Problems);
        Assert.Equal(("Inactive", "2001", "2010-05-06"), (problem.Status, problem.OnsetDate, problem.ResolvedDate));

        var allergy = Assert.Single(chart.Allergies);
        Assert.Equal(("Unable to assess", "Rash", "medication", "Active"), (allergy.Criticality, allergy.Reaction, allergy.Category, allergy.Status));
        Assert.Equal("http://www.nlm.nih.gov/research/umls/rxnorm", allergy.CodeSystem);

        var lab = Assert.Single(chart.Results);
        Assert.Equal((ResultSection.Labs, "250.46", "mg/dL", "H", "200"), (lab.Section, lab.Value, lab.Unit, lab.Flag, lab.RefHigh));
        Assert.Equal("2020-01-01T15:00", lab.EffectiveAt);

        Assert.Equal(1, report.SkippedByReason["Observation: no value the screens can show"]);
        Assert.Equal(1, report.SkippedByReason["Claim: not shown by this EHR"]);
        Assert.Equal(1, report.SkippedByReason["Practitioner: used for provider names only"]);
        Assert.Equal(1, report.ImportedByType["Observation"]);
    }

    [Fact]
    public void ImportFolder_BundleWithTwoPatients_SkipsTheWholeFile()
    {
        var twoPatients = Bundle.Replace(
            """{"resource":{"resourceType":"Claim","status":"active"}}""",
            """{"resource":{"resourceType":"Patient","identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"TEST-2"}],"name":[{"family":"Two"}]}}""",
            StringComparison.Ordinal);
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "two.json"), twoPatients);
        using var store = LegacyStore.InMemory();

        var report = FhirBundleImporter.ImportFolder(temp.Path, store);

        Assert.Equal(0, store.CountPatients());
        Assert.Equal(new SkippedFile("two.json", "more than one Patient resource"), Assert.Single(report.SkippedFiles));
        Assert.Empty(report.ImportedByType);
    }

    private static (ImportReport Report, LegacyChart Chart) ImportOne(string json)
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "one.json"), json);
        using var store = LegacyStore.InMemory();
        var report = FhirBundleImporter.ImportFolder(temp.Path, store);
        Assert.Empty(report.SkippedFiles);
        return (report, store.GetChart(Assert.Single(store.ListPatients()).Id)!);
    }
}
