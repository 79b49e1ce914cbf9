using System.Diagnostics;
using Hl7.Fhir.Model;
using Xunit.Abstractions;

namespace RpaWorker.Fhir.Tests.Validation;

public sealed class UsCoreValidatorTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> ConformingResources => new()
    {
        { "Patient", nameof(UsCoreExamples.Patient), "us-core-patient" },
        { "Condition", nameof(UsCoreExamples.Condition), "us-core-condition-problems-health-concerns" },
        { "MedicationRequest", nameof(UsCoreExamples.MedicationRequest), "us-core-medicationrequest" },
        { "AllergyIntolerance", nameof(UsCoreExamples.AllergyIntolerance), "us-core-allergyintolerance" },
        { "Observation", nameof(UsCoreExamples.LabObservation), "us-core-observation-lab" },
        { "Observation", nameof(UsCoreExamples.Bmi), "us-core-bmi" },
        { "Observation", nameof(UsCoreExamples.BloodPressure), "us-core-blood-pressure" },
        { "Observation", nameof(UsCoreExamples.SmokingStatus), "us-core-smokingstatus" },
        { "Immunization", nameof(UsCoreExamples.Immunization), "us-core-immunization" },
        { "Encounter", nameof(UsCoreExamples.Encounter), "us-core-encounter" },
        { "Practitioner", nameof(UsCoreExamples.Practitioner), "us-core-practitioner" },
    };

    [Theory]
    [MemberData(nameof(ConformingResources))]
    public void Validate_MinimalUsCoreAssignments_HasNoErrors(string resourceType, string example, string profile)
    {
        var resource = Build(resourceType, Example(example));
        var report = TestData.Validator.Validate(resource);

        Print(report);
        Assert.Equal(UsCoreProfiles.Base + profile, report.Profile);
        Assert.Equal([UsCoreProfiles.Base + profile], resource.Meta!.Profile);
        Assert.True(report.IsValid, Describe(report));
    }

    public static TheoryData<string, string, string, string> MissingUsCoreElements => new()
    {
        { "Condition", nameof(UsCoreExamples.Condition), "category", "category" },
        { "Patient", nameof(UsCoreExamples.Patient), "identifier", "identifier" },
        { "Observation", nameof(UsCoreExamples.Bmi), "effectiveDateTime", "effective" },
        { "Observation", nameof(UsCoreExamples.BloodPressure), "component[1]", "diastolic" },
        { "Practitioner", nameof(UsCoreExamples.Practitioner), "name", "name" },
    };

    [Theory]
    [MemberData(nameof(MissingUsCoreElements))]
    public void Validate_MissingUsCoreRequiredElement_FailsNamingTheElement(string resourceType, string example, string droppedPath, string named)
    {
        var assignments = Example(example).Where(a => !a.Item1.StartsWith(droppedPath, StringComparison.Ordinal)).ToArray();
        var resource = Build(resourceType, assignments);

        var report = TestData.Validator.Validate(resource);

        Print(report);
        Assert.False(report.IsValid);
        Assert.Contains(report.Errors, e => e.Message.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RequiredBindingToExternalValueSet_IsAWarningNotAnError()
    {
        // us-core-sex binds its value to a VSAC value set that is not available offline.
        var resource = Build("Patient",
        [
            .. UsCoreExamples.Patient,
            ("extension[0].url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex"),
            ("extension[0].valueCode", "248152002"),
        ]);

        var report = TestData.Validator.Validate(resource);

        Print(report);
        Assert.True(report.IsValid, Describe(report));
        Assert.Contains(report.Issues, i => i.Severity == ValidationSeverity.Warning && i.Location.Contains("extension", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CodeOutsideLocalRequiredValueSet_Fails()
    {
        // Condition.category's us-core slice has a required binding to a value set US Core ships, so it is checked offline.
        var resource = Build("Condition", UsCoreExamples.Condition
            .Select(a => a.Item1 == "category[0].coding[0].code" ? (a.Item1, "not-a-category") : a)
            .ToArray());

        var report = TestData.Validator.Validate(resource);

        Print(report);
        Assert.False(report.IsValid);
    }

    [Fact]
    public void Validate_AwkwardButValidValues_HasNoErrors()
    {
        var patient = Build("Patient",
        [
            ("identifier[0].system", "http://mock-ehr.example/mrn"),
            ("identifier[0].value", "400002"),
            ("name[0].family", "O'Brien-Núñez"),
            ("name[0].given[0]", "Zoë"),
            ("name[0].given[1]", "D'Arcy"),
            ("gender", "female"),
            ("birthDate", "1987"),
        ]);
        var condition = Build("Condition",
        [
            .. UsCoreExamples.Condition.Where(a => a.Item1 != "onsetDateTime"),
            ("onsetDateTime", "1987-03"),
            ("note[0].text", "<b>Pt</b> says BP \"high\" & <script>alert(1)</script> at home"),
        ]);
        var medication = Build("MedicationRequest",
        [
            .. UsCoreExamples.MedicationRequest.Where(a => a.Item1 != "dosageInstruction[0].text"),
            ("dosageInstruction[0].text", "1 tab <i>q.d.</i> & PRN > 2x/day"),
        ]);

        foreach (var resource in new Resource[] { patient, condition, medication })
        {
            var report = TestData.Validator.Validate(resource);
            Print(report);
            Assert.True(report.IsValid, Describe(report));
        }

        Assert.Equal("O'Brien-Núñez", ((Patient)patient).Name[0].Family);
        Assert.Equal("1987", ((Patient)patient).BirthDate);
    }

    [Fact]
    public void Validate_SecondInstanceForSamePackage_SharesTheLoadedPackage()
    {
        var first = TestData.Validator;
        first.EnsureLoaded();
        var second = new UsCoreValidator(TestData.UsCorePackagePath);

        Assert.Equal(TimeSpan.Zero, second.EnsureLoaded());
        Assert.Equal(first.LoadTime, second.LoadTime);
    }

    [Fact]
    public void Validate_ConcurrentCalls_AllSucceed()
    {
        var resources = Enumerable.Range(0, 16)
            .Select(i => Build("Observation", i % 2 == 0 ? UsCoreExamples.Bmi : UsCoreExamples.LabObservation))
            .ToList();

        var reports = resources.AsParallel().Select(TestData.Validator.Validate).ToList();

        Assert.All(reports, r => Assert.True(r.IsValid, Describe(r)));
    }

    [Fact]
    public void Constructor_MissingPackage_ThrowsNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "hl7.fhir.us.core-6.1.0.tgz");

        var ex = Assert.Throws<RpaWorkerException>(() => new UsCoreValidator(missing));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FirstLoadAndOneValidation_TimingsAreReported()
    {
        var validator = new UsCoreValidator(TestData.UsCorePackagePath);
        validator.EnsureLoaded();
        var resource = Build("Observation", UsCoreExamples.BloodPressure);

        var stopwatch = Stopwatch.StartNew();
        var report = validator.Validate(resource);
        var once = stopwatch.Elapsed;
        stopwatch.Restart();
        validator.Validate(resource);
        var again = stopwatch.Elapsed;

        output.WriteLine($"US Core + R4 core load: {validator.LoadTime?.TotalMilliseconds:F0} ms (once per process)");
        output.WriteLine($"validation of a blood pressure Observation: {once.TotalMilliseconds:F0} ms, then {again.TotalMilliseconds:F0} ms");
        Assert.True(report.IsValid, Describe(report));
    }

    private static (string, string)[] Example(string name) =>
        (ValueTuple<string, string>[])typeof(UsCoreExamples).GetProperty(name)!.GetValue(null)!;

    private static Resource Build(string resourceType, (string, string)[] assignments)
    {
        var result = FhirResourceBuilder.Build(resourceType, TestData.Assign(assignments));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Resource!;
    }

    private void Print(ValidationReport report)
    {
        foreach (var issue in report.Issues)
        {
            output.WriteLine($"{issue.Severity} {issue.Location} [{issue.Code}] {issue.Message}");
        }
    }

    private static string Describe(ValidationReport report) =>
        string.Join(Environment.NewLine, report.Errors.Select(e => $"{e.Location}: {e.Message}"));
}
