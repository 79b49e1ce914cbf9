using Hl7.Fhir.Model;
using Xunit.Abstractions;

namespace RpaWorker.Fhir.Tests.Provenance;

public sealed class ProvenanceFactoryTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Recorded = new(2026, 11, 26, 4, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Create_Batch_IsValidUsCoreProvenance()
    {
        var provenance = CreateSut();

        var report = TestData.Validator.Validate(provenance);

        foreach (var issue in report.Issues)
        {
            output.WriteLine($"{issue.Severity} {issue.Location} {issue.Message}");
        }

        Assert.Equal(UsCoreProfiles.Base + "us-core-provenance", report.Profile);
        Assert.True(report.IsValid, string.Join("; ", report.Errors.Select(e => $"{e.Location}: {e.Message}")));
    }

    [Fact]
    public void Create_Batch_RecordsTargetsAgentsPlaybookAndScreens()
    {
        var provenance = CreateSut();

        Assert.Equal(["Patient/p1", "Condition/c1"], provenance.Target.Select(t => t.Reference));
        Assert.Equal(Recorded, provenance.Recorded);
        Assert.Equal(["author", "assembler"], provenance.Agent.Select(a => a.Type!.Coding[0].Code));
        Assert.All(provenance.Agent, a => Assert.Equal("RpaWorker (clinic-a)", a.Who.Display));
        Assert.Equal(
            ["Playbook mock-ehr/patient-chart 1.2.0", "Screen Patient Banner", "Screen Problem List"],
            provenance.Entity.Select(e => e.What.Display));
        Assert.All(provenance.Entity, e => Assert.Equal(Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source, e.Role));
    }

    [Fact]
    public void Create_TargetNotTypeSlashId_Throws()
    {
        Assert.Throws<ArgumentException>(() => ProvenanceFactory.Create(["Patient"], "p", "1", "w", Recorded, []));
    }

    [Fact]
    public void Stamp_Resource_SetsSourceAndLastUpdatedKeepsProfile()
    {
        var patient = (Patient)FhirResourceBuilder.Build("Patient", TestData.Assign(UsCoreExamples.Patient)).Resource!;

        FhirMeta.Stamp(patient, "http://mock-ehr.example#mock-ehr/patient-chart", Recorded);

        Assert.Equal("http://mock-ehr.example#mock-ehr/patient-chart", patient.Meta!.Source);
        Assert.Equal(Recorded, patient.Meta.LastUpdated);
        Assert.Equal([UsCoreProfiles.Base + "us-core-patient"], patient.Meta.Profile);
        Assert.True(TestData.Validator.Validate(patient).IsValid);
    }

    private static Hl7.Fhir.Model.Provenance CreateSut() => ProvenanceFactory.Create(
        ["Patient/p1", "Condition/c1"],
        "mock-ehr/patient-chart",
        "1.2.0",
        "RpaWorker (clinic-a)",
        Recorded,
        ["Patient Banner", "Problem List", "Problem List"]);
}
