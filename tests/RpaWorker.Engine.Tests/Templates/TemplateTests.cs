using RpaWorker.Engine.Running;
using RpaWorker.Engine.Templates;

namespace RpaWorker.Engine.Tests.Templates;

public sealed class TemplateTests
{
    private static Scope CreateSut()
    {
        var scope = new Scope();
        scope.Set("row", new Dictionary<string, object?>
        {
            ["code"] = "85354-9",
            ["value"] = "127/83",
            ["range"] = "70-99",
            ["name"] = new Dictionary<string, object?> { ["text"] = "DOE, JOHN", ["family"] = "DOE" },
            ["dob"] = new InvalidValue("field 'dob' of 'patient' is not a date in the format 'MM/dd/yyyy'"),
            ["empty"] = "",
        });
        return scope;
    }

    [Theory]
    [InlineData("{{ row.code }}", "85354-9")]
    [InlineData("BP {{ row.value | split: '/' | first }} over {{ row.value | split: '/' | last }}", "BP 127 over 83")]
    [InlineData("{{ row.range | regex: '^([0-9.]+)-' }}", "70")]
    [InlineData("{{ row.code | eq: 85354-9 }}", "true")]
    [InlineData("{{ row.code | ne: 85354-9 }}", "")]
    [InlineData("{{ row.empty | not }}", "true")]
    [InlineData("{{ row.name }}", "DOE, JOHN")]
    [InlineData("{{ row.name.family | title }}", "Doe")]
    [InlineData("{{ row.missing | default: 'unknown' }}", "unknown")]
    public void Render_Expression_GivesTheValue(string template, string expected) =>
        Assert.Equal(expected, Template.Render(template, CreateSut()));

    [Theory]
    [InlineData("fL", "fL")]
    [InlineData("FL", "fL")]
    [InlineData("Pg", "pg")]
    [InlineData("MG/DL", "mg/dL")]
    [InlineData("mmol/L", "mmol/L")]
    [InlineData("mg/db", "mg/db")]
    [InlineData("{beats}/min", "{beats}/min")]
    public void Render_UcumFilter_GivesACommonUnitItsCaseAndLeavesOthersAlone(string read, string expected)
    {
        var scope = new Scope();
        scope.Set("unit", read);

        Assert.Equal(expected, Template.Render("{{ unit | ucum }}", scope));
    }

    [Fact]
    public void Render_UndefinedName_SaysWhichName()
    {
        var ex = Assert.Throws<TemplateException>(() => Template.Render("{{ row.nope }}", CreateSut()));
        Assert.Equal("'row.nope' is not defined here", ex.Message);
    }

    [Fact]
    public void Render_InvalidValue_ReportsItsReasonInsteadOfAValue()
    {
        var ex = Assert.Throws<TemplateException>(() => Template.Render("{{ row.dob }}", CreateSut()));
        Assert.Contains("is not a date", ex.Message);
    }

    [Fact]
    public void Render_HeldValueWithDefault_StillReportsItsReason()
    {
        var scope = CreateSut();
        scope.Set("banner", new Dictionary<string, object?>
        {
            ["mrn"] = new InvalidValue("field 'mrn' of 'patient' is held for review (OCR confidence 0.41 is below 0.75)") { HeldForReview = true },
        });

        // An optional value that merely did not parse gives way to its default; one the driver could not vouch for never does.
        Assert.Equal("", Template.Render("{{ row.dob | default: '' }}", scope));
        var ex = Assert.Throws<TemplateException>(() => Template.Render("{{ banner.mrn | default: '' }}", scope));
        Assert.Contains("held for review", ex.Message);
    }

    [Fact]
    public void Render_FhirId_UsesTheRunsIdFunction()
    {
        var functions = new TemplateFunctions((type, key) => $"{type.ToLowerInvariant()}-{key}");

        Assert.Equal("Patient/patient-85354-9", Template.Render("Patient/{{ row.code | fhir_id: Patient }}", CreateSut(), functions));
    }
}
