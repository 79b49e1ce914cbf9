using RpaWorker.Host.FhirApi;

namespace RpaWorker.Host.Tests.FhirApi;

public sealed class FhirSearchValuesTests
{
    [Theory]
    [InlineData("2024", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
    [InlineData("eq2024-02", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("ge2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00Z", null)]
    [InlineData("gt2024-05-01T10:00Z", "2024-05-01T10:01:00Z", null)]
    [InlineData("lt2024-05-01", null, "2024-05-01T00:00:00Z")]
    [InlineData("le2024-05-01", null, "2024-05-02T00:00:00Z")]
    [InlineData("2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.5Z", "2024-05-01T10:00:00.6Z")]
    public void DateRange_PrefixAndPrecision_SelectTheIntervalFhirDefines(string value, string? from, string? before)
    {
        var range = FhirSearchValues.DateRange(value, out var error);

        Assert.Null(error);
        Assert.Equal(from is null ? null : DateTimeOffset.Parse(from), range!.Value.From);
        Assert.Equal(before is null ? null : DateTimeOffset.Parse(before), range.Value.Before);
    }

    [Theory]
    [InlineData("ne2024", "prefix 'ne'")]
    [InlineData("sa2024", "prefix 'sa'")]
    [InlineData("2024-13", "does not parse")]
    [InlineData("May 2024", "does not parse")]
    [InlineData("2024-02-30", "does not parse")]
    public void DateRange_UnsupportedOrMalformed_SaysWhy(string value, string expected)
    {
        Assert.Null(FhirSearchValues.DateRange(value, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urn:mrn|123", "urn:mrn", "123")]
    [InlineData("123", null, "123")]
    [InlineData("|123", "", "123")]
    [InlineData(@"urn:a\|b|x\,y", "urn:a|b", "x,y")]
    public void Token_SystemAndCode_FollowsTheBarAndItsEscape(string value, string? system, string code)
    {
        Assert.Equal((system, code), FhirSearchValues.Token(value));
    }

    [Fact]
    public void Split_EscapedComma_StaysInTheValue()
    {
        Assert.Equal(["a,b", "c"], FhirSearchValues.Split(@"a\,b,c", ','));
    }

    [Theory]
    [InlineData("p1", "Patient/p1")]
    [InlineData("Patient/p1", "Patient/p1")]
    [InlineData("https://ehr.example/fhir/Patient/p1/_history/2", "Patient/p1")]
    [InlineData("Group/g1", "Group/g1")]
    public void Reference_IdPathOrUrl_BecomesTypeSlashId(string value, string expected)
    {
        Assert.Equal(expected, FhirSearchValues.Reference(value, "Patient"));
    }
}
