using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Web;

namespace RpaWorker.MockEhr.Tests.Web;

public sealed class LegacyFormatTests
{
    [Theory]
    [InlineData("1987-03-14", "03/14/1987")]
    [InlineData("1987-03", "03/1987")]
    [InlineData("1987", "1987")]
    [InlineData(null, "")]
    [InlineData("2019-03-14T14:05", "03/14/2019")]
    [InlineData("sometime", "sometime")]
    public void Date_IsoOrPartial_ShowsAsStored(string? iso, string expected) => Assert.Equal(expected, LegacyFormat.Date(iso));

    [Theory]
    [InlineData("2019-03-05T09:30", "Mar 5 '19")]
    [InlineData("2021-12-25", "Dec 25 '21")]
    [InlineData("2021-12", "12/2021")]
    public void Short_Date_UsesAbbreviatedMonthAndYear(string iso, string expected) => Assert.Equal(expected, LegacyFormat.Short(iso));

    [Theory]
    [InlineData("03/14/1987", "1987-03-14")]
    [InlineData("3/4/1987", "1987-03-04")]
    [InlineData("1987-03-14", null)]
    [InlineData("13/01/1987", null)]
    public void ParseTypedDate_SearchBoxText_GivesIsoOrNull(string typed, string? expected) =>
        Assert.Equal(expected, LegacyFormat.ParseTypedDate(typed));

    [Theory]
    [InlineData("1987-03-14", "2025-03-13", "37")]
    [InlineData("1987-03-14", "2025-03-14", "38")]
    [InlineData("1987", "2025-01-01", "38")]
    [InlineData(null, "2025-01-01", "")]
    public void Age_AtDate_CountsWholeYears(string? birth, string at, string expected) =>
        Assert.Equal(expected, LegacyFormat.Age(birth, DateOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Name_WithMiddleName_IsUpperCaseLastFirstInitial()
    {
        var p = new LegacyPatient { Mrn = "1", LastName = "O'Brien", FirstName = "José", MiddleName = "andrés", Sex = "M" };

        Assert.Equal("O'BRIEN, JOSÉ A", LegacyFormat.Name(p));
    }
}
