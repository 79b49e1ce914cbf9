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
}
