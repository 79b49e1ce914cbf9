using RpaWorker.Ai.Masking;

namespace RpaWorker.Ai.Tests.Masking;

public sealed class PhiMaskerTests
{
    [Theory]
    [InlineData("03/14/1987", "<date>")]
    [InlineData("1987-03-14", "<date>")]
    [InlineData("Mar 5 '19", "<date>")]
    [InlineData("March 5, 2019", "<date>")]
    [InlineData("DOE, JOHN A", "<name>")]
    [InlineData("Doe, John", "<name>")]
    [InlineData("0012345", "<number 7 digits>")]
    [InlineData("(555) 013-3377", "<phone>")]
    [InlineData("john.doe@example.org", "<email>")]
    [InlineData("12 Oak Street", "<text>")]
    [InlineData("Penicillin - hives", "<text>")]
    [InlineData("  ", "<empty>")]
    public void Shape_ScreenValue_IsItsKindOnly(string value, string expected) => Assert.Equal(expected, PhiMasker.Shape(value));

    [Fact]
    public void Scrub_TextWithPatientData_KeepsTheWordingAndHidesTheData()
    {
        var scrubbed = PhiMasker.Scrub("Chart of DOE, JOHN A (MRN 0012345), born 03/14/1987, seen by Zelda Canaryson; call (555) 013-3377", ["Zelda Canaryson"]);

        Assert.Equal("Chart of <name> (MRN <number 7 digits>), born <date>, seen by <text>; call <number 10 digits>", scrubbed);
    }

    [Fact]
    public void Scrub_ScreenChrome_IsLeftAsItIs()
    {
        Assert.Equal("Page 1 of 3 - Save / Cancel", PhiMasker.Scrub("Page 1 of 3 - Save / Cancel", []));
    }
}
