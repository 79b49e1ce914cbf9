using Hl7.Fhir.Model;

namespace RpaWorker.Fhir.Tests.Profiles;

public sealed class UsCoreProfilesTests
{
    [Theory]
    [InlineData("vital-signs", "85354-9", "us-core-blood-pressure")]
    [InlineData("vital-signs", "29463-7", "us-core-body-weight")]
    [InlineData("vital-signs", "8302-2", "us-core-body-height")]
    [InlineData("vital-signs", "39156-5", "us-core-bmi")]
    [InlineData("vital-signs", "8867-4", "us-core-heart-rate")]
    [InlineData("vital-signs", "8310-5", "us-core-body-temperature")]
    [InlineData("vital-signs", "8331-1", "us-core-body-temperature")]
    [InlineData("vital-signs", "9279-1", "us-core-respiratory-rate")]
    [InlineData("vital-signs", "59408-5", "us-core-pulse-oximetry")]
    [InlineData("vital-signs", "1234-5", "us-core-vital-signs")]
    [InlineData("laboratory", "2339-0", "us-core-observation-lab")]
    [InlineData("social-history", "72166-2", "us-core-smokingstatus")]
    [InlineData("survey", "44249-1", "us-core-observation-screening-assessment")]
    [InlineData("exam", "8693-4", "us-core-observation-clinical-result")]
    public void For_Observation_ChoosesProfileByCategoryAndCode(string category, string loinc, string profile)
    {
        var observation = new Observation
        {
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", category)],
            Code = new CodeableConcept("http://loinc.org", loinc),
        };

        Assert.Equal(UsCoreProfiles.Base + profile, UsCoreProfiles.For(observation));
    }

    [Theory]
    [InlineData("Patient", "us-core-patient")]
    [InlineData("Encounter", "us-core-encounter")]
    [InlineData("Condition", "us-core-condition-problems-health-concerns")]
    [InlineData("MedicationRequest", "us-core-medicationrequest")]
    [InlineData("AllergyIntolerance", "us-core-allergyintolerance")]
    [InlineData("Immunization", "us-core-immunization")]
    [InlineData("Practitioner", "us-core-practitioner")]
    [InlineData("Provenance", "us-core-provenance")]
    public void For_ResourceType_ChoosesItsProfile(string resourceType, string profile)
    {
        var resource = (Resource)Activator.CreateInstance(Hl7.Fhir.Model.ModelInfo.GetTypeForFhirType(resourceType)!)!;

        Assert.Equal(UsCoreProfiles.Base + profile, UsCoreProfiles.For(resource));
    }

    [Fact]
    public void For_EncounterDiagnosis_ChoosesEncounterDiagnosisProfile()
    {
        var condition = new Condition { Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis")] };

        Assert.Equal(UsCoreProfiles.Base + "us-core-condition-encounter-diagnosis", UsCoreProfiles.For(condition));
    }

    [Fact]
    public void For_TypeWithoutUsCoreProfile_IsNull()
    {
        Assert.Null(UsCoreProfiles.For(new Basic()));
    }

    [Fact]
    public void Apply_ExistingProfiles_ReplacesUsCoreKeepsOthers()
    {
        var patient = new Patient { Meta = new Meta { Profile = [UsCoreProfiles.Base + "us-core-practitioner", "http://example.org/StructureDefinition/local"] } };

        UsCoreProfiles.Apply(patient);

        Assert.Equal([UsCoreProfiles.Base + "us-core-patient", "http://example.org/StructureDefinition/local"], patient.Meta.Profile);
    }
}
