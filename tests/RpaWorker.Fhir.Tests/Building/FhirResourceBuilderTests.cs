using System.Text.Json;
using Hl7.Fhir.Model;

namespace RpaWorker.Fhir.Tests.Building;

public sealed class FhirResourceBuilderTests
{
    private const string Canary = "ZZ-CANARY-4711";

    [Fact]
    public void Build_ConditionAssignments_SetsEveryElement()
    {
        var result = FhirResourceBuilder.Build("Condition", TestData.Assign(UsCoreExamples.Condition));

        var condition = Assert.IsType<Condition>(result.Resource);
        Assert.Empty(result.Errors);
        Assert.Equal("active", condition.ClinicalStatus!.Coding[0].Code);
        Assert.Equal("problem-list-item", condition.Category[0].Coding[0].Code);
        Assert.Equal("38341003", condition.Code!.Coding[0].Code);
        Assert.Equal("Hypertension", condition.Code.Coding[0].Display);
        Assert.Equal("1999-02-16", Assert.IsType<FhirDateTime>(condition.Onset).Value);
        Assert.Equal(UsCoreExamples.PatientReference, condition.Subject.Reference);
        Assert.Equal([UsCoreProfiles.Base + "us-core-condition-problems-health-concerns"], condition.Meta!.Profile);
    }

    [Fact]
    public void Build_ImpossibleBirthDate_FailsNamingBirthDateWithoutTheValue()
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign([.. UsCoreExamples.Patient.Where(a => a.Item1 != "birthDate"), ("birthDate", "1990-02-30")]));

        Assert.Null(result.Resource);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("birthDate: not a valid date", error, StringComparison.Ordinal);
        Assert.DoesNotContain("1990-02-30", error, StringComparison.Ordinal);
        Assert.DoesNotContain("02-30", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("birthDate", "1987")]
    [InlineData("birthDate", "1987-03")]
    [InlineData("birthDate", "2000-02-29")]
    [InlineData("deceasedDateTime", "2019-03-05T10:30:00Z")]
    [InlineData("deceasedDateTime", "2019-03-05T10:30:00.250-05:00")]
    [InlineData("deceasedDateTime", "2019-03")]
    public void Build_ValidPartialOrFullDates_AreKeptAsWritten(string path, string value)
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign((path, value)));

        Assert.Empty(result.Errors);
        Assert.Contains($"\"{value}\"", FhirJson.Serialize(result.Resource!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("birthDate", "1990-02-30", "not a valid date")]
    [InlineData("birthDate", "2001-02-29", "not a valid date")]
    [InlineData("birthDate", "03/14/1987", "not a valid date")]
    [InlineData("birthDate", "1987-13", "not a valid date")]
    [InlineData("deceasedDateTime", "2019-03-05T10:30:00", "not a valid dateTime")]
    [InlineData("deceasedDateTime", "2019-03-05T25:30:00Z", "not a valid dateTime")]
    [InlineData("multipleBirthInteger", "2.5", "not a valid integer")]
    [InlineData("multipleBirthInteger", "007", "not a valid integer")]
    [InlineData("deceasedBoolean", "yes", "not a valid boolean")]
    [InlineData("gender", "M", "not a valid code (expected one of male, female, other, unknown)")]
    [InlineData("identifier[0].system", "http://x y", "not a valid uri")]
    [InlineData("communication[0].language.coding[0].code", "en  US", "not a valid code")]
    public void Build_MalformedValue_FailsNamingPathAndExpectation(string path, string value, string expected)
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign((path, value)));

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{path}: {expected}", error[..Math.Min(error.Length, path.Length + 2 + expected.Length)]);
        Assert.DoesNotContain(value, error.Replace(path, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MalformedValues_NeverEchoTheValue()
    {
        var result = FhirResourceBuilder.Build("Observation", TestData.Assign(
            ("status", Canary),
            ("valueQuantity.value", Canary),
            ("effectiveDateTime", Canary),
            ("code.coding[0].code", Canary + " " + Canary + "  x"),
            ("issued", Canary)));

        Assert.Equal(5, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.DoesNotContain("CANARY", e, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Build_NumbersAndBooleans_AreTypedInJson()
    {
        var medication = FhirResourceBuilder.Build("MedicationRequest", TestData.Assign(UsCoreExamples.MedicationRequest)).Resource!;
        var observation = FhirResourceBuilder.Build("Observation", TestData.Assign(("status", "final"), ("code.text", "Weight"), ("valueQuantity.value", "72.50"))).Resource!;
        var immunization = FhirResourceBuilder.Build("Immunization", TestData.Assign(UsCoreExamples.Immunization)).Resource!;

        using var med = JsonDocument.Parse(FhirJson.Serialize(medication));
        var repeat = med.RootElement.GetProperty("dosageInstruction")[0].GetProperty("timing").GetProperty("repeat");
        Assert.Equal(JsonValueKind.Number, repeat.GetProperty("frequency").ValueKind);
        Assert.Equal(JsonValueKind.Number, repeat.GetProperty("period").ValueKind);
        Assert.Equal(JsonValueKind.String, repeat.GetProperty("periodUnit").ValueKind);
        using var obs = JsonDocument.Parse(FhirJson.Serialize(observation));
        var value = obs.RootElement.GetProperty("valueQuantity").GetProperty("value");
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.Equal("72.50", value.GetRawText());
        using var imm = JsonDocument.Parse(FhirJson.Serialize(immunization));
        Assert.Equal(JsonValueKind.True, imm.RootElement.GetProperty("primarySource").ValueKind);
    }

    [Fact]
    public void Build_BloodPressureComponents_BuildsIndexedArrays()
    {
        var observation = (Observation)FhirResourceBuilder.Build("Observation", TestData.Assign(UsCoreExamples.BloodPressure)).Resource!;

        Assert.Equal(2, observation.Component.Count);
        Assert.Equal("8480-6", observation.Component[0].Code.Coding[0].Code);
        Assert.Equal(127m, Assert.IsType<Quantity>(observation.Component[0].Value).Value);
        Assert.Equal(80m, Assert.IsType<Quantity>(observation.Component[1].Value).Value);
    }

    [Fact]
    public void Build_EmptyOrBlankValues_LeaveElementsAbsent()
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign(
            ("name[0].family", "DOE"),
            ("name[0].given[0]", string.Empty),
            ("birthDate", "   "),
            ("gender", "female")));

        var patient = Assert.IsType<Patient>(result.Resource);
        Assert.Empty(patient.Name[0].Given);
        Assert.Null(patient.BirthDate);
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
    }

    [Fact]
    public void Build_ValuesWithSurroundingWhitespace_AreTrimmed()
    {
        var patient = (Patient)FhirResourceBuilder.Build("Patient", TestData.Assign(("birthDate", " 1987-03-14 "), ("name[0].family", " DOE "))).Resource!;

        Assert.Equal("1987-03-14", patient.BirthDate);
        Assert.Equal("DOE", patient.Name[0].Family);
    }

    [Theory]
    [InlineData("Condition", "foo", "unknown element 'foo' on Condition")]
    [InlineData("Condition", "code.coding[0].foo", "code.coding[0].foo: unknown element 'foo' on Coding")]
    [InlineData("Condition", "onset", "'onset' on Condition is a choice element")]
    [InlineData("Condition", "onset[x]", "onset[x]: 'onset[x]' is a choice element")]
    [InlineData("Condition", "onsetCodeableConcept.text", "onsetCodeableConcept.text: 'onsetCodeableConcept' on Condition: CodeableConcept is not an allowed type for onset[x]")]
    [InlineData("Condition", "code", "code: 'code' is a CodeableConcept; assign one of its elements instead")]
    [InlineData("Condition", "subject[0].reference", "subject[0].reference: 'subject' on Condition does not repeat")]
    [InlineData("Condition", "onsetDateTime.value", "onsetDateTime.value: 'onsetDateTime' is a dateTime value and has no child elements")]
    [InlineData("Condition", "code..text", "code..text: '' is not an element name")]
    [InlineData("Bundle", "entry[0].resource.id", "entry[0].resource.id: 'resource' on Bundle.entry holds a resource, which cannot be assigned by path")]
    public void Build_UnusablePath_FailsWithClearError(string resourceType, string path, string expected)
    {
        var result = FhirResourceBuilder.Build(resourceType, TestData.Assign((path, "x")));

        Assert.Null(result.Resource);
        Assert.StartsWith(expected, Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownResourceType_Fails()
    {
        var result = FhirResourceBuilder.Build("Problem", TestData.Assign(("code.text", "x")));

        Assert.Equal(["unknown resource type 'Problem'"], result.Errors);
    }

    [Fact]
    public void Build_SamePathTwice_Fails()
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign(("name[0].family", "DOE"), ("name[0].family", "ROE")));

        Assert.Equal(["name[0].family: assigned more than once"], result.Errors);
    }

    [Fact]
    public void Build_IndexGap_FailsNamingTheMissingItem()
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign(("name[1].family", "DOE")));

        Assert.StartsWith("name[0]: not assigned", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingIndexOnRepeatingElement_MeansTheFirstItem()
    {
        var patient = (Patient)FhirResourceBuilder.Build("Patient", TestData.Assign(("name.given", "JOHN"), ("name.family", "DOE"))).Resource!;

        Assert.Equal("DOE", patient.Name.Single().Family);
        Assert.Equal(["JOHN"], patient.Name[0].Given);
    }

    [Fact]
    public void Build_MissingBaseRequiredElement_FailsNamingIt()
    {
        var result = FhirResourceBuilder.Build("Observation", TestData.Assign(UsCoreExamples.Bmi.Where(a => a.Item1 != "status").ToArray()));

        Assert.Equal(["status: required by FHIR R4 Observation but not assigned"], result.Errors);
    }

    [Fact]
    public void Build_EveryErrorIsReported_NotOnlyTheFirst()
    {
        var result = FhirResourceBuilder.Build("Patient", TestData.Assign(("birthDate", "x"), ("foo", "y"), ("gender", "z")));

        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void Build_ExtensionByPath_IsParsed()
    {
        var patient = (Patient)FhirResourceBuilder.Build("Patient", TestData.Assign(
            ("extension[0].url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"),
            ("extension[0].valueCode", "F"))).Resource!;

        Assert.Equal("F", Assert.IsType<Code>(patient.Extension[0].Value).Value);
    }
}
