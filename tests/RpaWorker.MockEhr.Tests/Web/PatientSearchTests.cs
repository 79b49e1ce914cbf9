namespace RpaWorker.MockEhr.Tests.Web;

[Collection(BrowserCollection.Name)]
public sealed class PatientSearchTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("DOE", new[] { "DOE, JANE", "DOE, JOHN A" })]
    [InlineData("DOE, JOHN", new[] { "DOE, JOHN A" })]
    [InlineData("JOHN DOE", new[] { "DOE, JOHN A" })]
    [InlineData("o'brien", new[] { "O'BRIEN, PATRICK S" })]
    public async Task Search_ByName_ListsMatchingPatients(string typed, string[] expected)
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.Page.FillAsync("input[name=name]", typed);
        await ehr.Page.ClickAsync("input[type=submit]");

        var names = (await MockEhrDriver.GridRowsAsync(ehr.Page)).Select(r => r[0]).Order(StringComparer.Ordinal);
        Assert.Equal(expected, names);
    }

    [Fact]
    public async Task Search_ByMrn_ListsThatPatientWithLegacyColumns()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.Page.FillAsync("input[name=mrn]", TestCharts.JaneMrn);
        await ehr.Page.ClickAsync("input[type=submit]");

        var row = Assert.Single(await MockEhrDriver.GridRowsAsync(ehr.Page));
        Assert.Equal(["DOE, JANE", TestCharts.JaneMrn, "07/04/1990", "F"], row);
    }

    [Fact]
    public async Task Search_ByTypedDateOfBirth_ListsThatPatient()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.Page.FillAsync("input[name=dob]", "03/14/1987");
        await ehr.Page.ClickAsync("input[type=submit]");

        var row = Assert.Single(await MockEhrDriver.GridRowsAsync(ehr.Page));
        Assert.Equal("DOE, JOHN A", row[0]);
    }

    [Fact]
    public async Task Search_NoMatch_SaysNoPatientsFound()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.Page.FillAsync("input[name=name]", "ZZTOP");
        await ehr.Page.ClickAsync("input[type=submit]");

        Assert.Contains("No patients found", await ehr.Page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task PatientList_SmallPageSize_PagesWithNextAndPrev()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { PageSize = 3 });
        await ehr.LoginAsync();
        var first = await MockEhrDriver.GridRowsAsync(ehr.Page);
        Assert.Contains("Page 1 of 2", await ehr.Page.InnerTextAsync("body"));

        await ehr.Page.ClickAsync("a:text-is('Next >>')");

        var second = await MockEhrDriver.GridRowsAsync(ehr.Page);
        Assert.Contains("Page 2 of 2", await ehr.Page.InnerTextAsync("body"));
        Assert.Equal(3, first.Count);
        Assert.Single(second);
        Assert.Equal(["DOE, JANE", "DOE, JOHN A", "MÜLLER, JOSÉ", "O'BRIEN, PATRICK S"],
            first.Concat(second).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal("1955", first.Concat(second).Single(r => r[0] == "MÜLLER, JOSÉ")[2]);
    }
}
