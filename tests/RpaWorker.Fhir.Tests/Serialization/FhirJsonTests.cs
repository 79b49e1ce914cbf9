using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace RpaWorker.Fhir.Tests.Serialization;

public sealed class FhirJsonTests
{
    [Fact]
    public void Serialize_Resource_IsOneLineThatParsesBack()
    {
        var condition = FhirResourceBuilder.Build("Condition", TestData.Assign(
        [
            .. UsCoreExamples.Condition,
            ("note[0].text", "line one\nline two <b>&</b> Zoë"),
        ])).Resource!;

        var json = FhirJson.Serialize(condition);
        var parsed = new FhirJsonDeserializer(new DeserializerSettings()).DeserializeResource(json);

        Assert.DoesNotContain('\n', json);
        Assert.False(json.EndsWith(' '));
        Assert.True(condition.IsExactly(parsed));
        Assert.Equal("line one\nline two <b>&</b> Zoë", ((Condition)parsed).Note[0].Text?.ToString());
    }

    [Fact]
    public void ToPublished_PatientWithId_CarriesTypeIdJsonAndIdentifier()
    {
        var patient = FhirResourceBuilder.Build("Patient", TestData.Assign(UsCoreExamples.Patient)).Resource!;
        patient.Id = ResourceIds.For("http://mock-ehr.example", "Patient", "400001");

        var published = FhirJson.ToPublished(patient);

        Assert.Equal("Patient", published.ResourceType);
        Assert.Equal(patient.Id, published.Id);
        Assert.Equal(FhirJson.Serialize(patient), published.Json);
        Assert.Equal("http://mock-ehr.example/mrn|400001", published.Identifier);
    }

    [Fact]
    public void ToPublished_ResourceWithoutIdentifier_HasNullIdentifier()
    {
        var provenance = ProvenanceFactory.Create(["Patient/p1"], "p", "1.0.0", "worker", DateTimeOffset.UnixEpoch, []);
        provenance.Id = "prov-1";

        Assert.Null(FhirJson.ToPublished(provenance).Identifier);
    }

    [Fact]
    public void ToPublished_ResourceWithoutId_Throws()
    {
        var patient = FhirResourceBuilder.Build("Patient", TestData.Assign(UsCoreExamples.Patient)).Resource!;

        Assert.Throws<ArgumentException>(() => FhirJson.ToPublished(patient));
    }
}
