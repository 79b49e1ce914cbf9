using Microsoft.Playwright;

namespace RpaWorker.MockEhr.Tests.Web;

[Collection(BrowserCollection.Name)]
public sealed class ChartTests(BrowserFixture browser)
{
    [Fact]
    public async Task Chart_Opened_BannerShowsLegacyNameAndDates()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.OpenChartAsync(TestCharts.DoeMrn);

        Assert.Equal("DOE, JOHN A", await ehr.ValueAfterLabelAsync("Patient:"));
        Assert.Equal(TestCharts.DoeMrn, await ehr.ValueAfterLabelAsync("MRN:"));
        Assert.Equal("03/14/1987", await ehr.ValueAfterLabelAsync("DOB:"));
        Assert.Equal("Male", await ehr.ValueAfterLabelAsync("Sex:"));
        Assert.Equal("Married", await ehr.ValueAfterLabelAsync("Marital Status:"));
        Assert.Equal("Spanish", await ehr.ValueAfterLabelAsync("Language:"));
    }

    [Fact]
    public async Task ProblemList_PagedToTheLastPage_ShowsEveryProblemOnce()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.DoeMrn);
        await ehr.Page.ClickAsync("a:text-is('Problem List')");

        var seen = new List<string[]>();
        seen.AddRange(await MockEhrDriver.GridRowsAsync(ehr.Page));
        while (await ehr.Page.Locator("a:text-is('Next >>')").CountAsync() > 0)
        {
            await ehr.Page.ClickAsync("a:text-is('Next >>')");
            seen.AddRange(await MockEhrDriver.GridRowsAsync(ehr.Page));
        }

        Assert.Contains("Page 3 of 3", await ehr.Page.InnerTextAsync("body"));
        Assert.Equal(TestCharts.DoeProblemCount, seen.Select(r => r[1]).Distinct().Count());
        Assert.Equal(TestCharts.DoeProblemCount, seen.Count);
        Assert.Contains(seen, r => r[1] == "Problem number 03" && r[2] == "1987");
        Assert.Contains(seen, r => r[1] == "Problem number 04" && r[2] == "03/2001" && r[4] == "01/02/2015");
    }

    [Fact]
    public async Task Chart_WithUnsignedNotes_ModalBlocksTheChartUntilOk()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.JaneMrn);
        var modal = ehr.Page.Locator("div:has-text('3 unsigned notes')").Last;
        await Assertions.Expect(modal).ToBeVisibleAsync();

        var tab = ehr.Page.Locator("a:text-is('Problem List')");
        Assert.False(await TopmostAtCentreAsync(tab), "the tab should be covered by the modal");

        await ehr.Page.ClickAsync("input[value=OK]");

        await Assertions.Expect(modal).ToBeHiddenAsync();
        Assert.True(await TopmostAtCentreAsync(tab));
        await tab.ClickAsync();
        Assert.Contains("PROBLEM LIST", await ehr.Page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task Chart_WithoutUnsignedNotes_HasNoModal()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.OpenChartAsync(TestCharts.DoeMrn);

        Assert.Equal(0, await ehr.Page.Locator("input[value=OK]").CountAsync());
    }

    [Fact]
    public async Task Allergies_InIframe_AreReadableThroughTheFrame()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.DoeMrn);

        await ehr.Page.ClickAsync("a:text-is('Allergies')");

        Assert.DoesNotContain("Penicillin", await ehr.Page.InnerTextAsync("body"));
        var frame = ehr.Page.FrameLocator("iframe");
        await Assertions.Expect(frame.Locator("td:text-is('Penicillin')")).ToBeVisibleAsync();
        Assert.Equal(["91936005", "SNOMED", "Penicillin", "medication", "Hives", "High", "Active", "04/02/2011"],
            await frame.Locator("tr:has(td:text-is('Penicillin')) td").AllInnerTextsAsync());
    }

    [Fact]
    public async Task Medications_SigHoldingScriptTag_ShowsItLiterally()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        var dialogs = 0;
        ehr.Page.Dialog += (_, d) =>
        {
            dialogs++;
            _ = d.DismissAsync();
        };
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.ObrienMrn);

        await ehr.Page.ClickAsync("a:text-is('MEDICATIONS')");

        Assert.Equal("O'BRIEN, PATRICK S", await ehr.ValueAfterLabelAsync("Patient:"));
        var row = Assert.Single(await MockEhrDriver.GridRowsAsync(ehr.Page));
        Assert.Equal(TestCharts.ScriptSig, row[4]);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Chart_NonAsciiNameAndPartialBirthDate_ShowAsStored()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();

        await ehr.OpenChartAsync(TestCharts.MullerMrn);

        Assert.Equal("MÜLLER, JOSÉ", await ehr.ValueAfterLabelAsync("Patient:"));
        Assert.Equal("1955", await ehr.ValueAfterLabelAsync("DOB:"));
    }

    [Fact]
    public async Task Vitals_Flowsheet_HasDatesAcrossAndPagesOverColumns()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.DoeMrn);

        await ehr.Page.ClickAsync("a:text-is('Vitals')");

        var headers = await ehr.Page.Locator("th").AllInnerTextsAsync();
        Assert.StartsWith("Mar 5 '19", headers[3], StringComparison.Ordinal);
        Assert.Equal(3 + 8, headers.Count);
        var bp = (await MockEhrDriver.GridRowsAsync(ehr.Page)).Single(r => r[0] == "Blood Pressure");
        Assert.Equal("127/83", bp[3]);
        await ehr.Page.ClickAsync("a:text-is('Next >>')");
        Assert.Equal(3 + 2, await ehr.Page.Locator("th").CountAsync());
        Assert.Contains("136/83", await ehr.Page.InnerTextAsync("body"));
    }

    [Fact]
    public async Task Labs_Result_ShowsRangeFlagAndCollectionTime()
    {
        await using var ehr = await MockEhrDriver.StartAsync(browser);
        await ehr.LoginAsync();
        await ehr.OpenChartAsync(TestCharts.DoeMrn);

        await ehr.Page.ClickAsync("a:text-is('Lab Results')");

        var row = Assert.Single(await MockEhrDriver.GridRowsAsync(ehr.Page));
        Assert.Equal(["Total Cholesterol", "2093-3", "212", "mg/dL", "<200", "H", "03/14/2019 14:05"], row);
    }

    // Whether a click at the element's centre would land on it rather than on something covering it.
    private static Task<bool> TopmostAtCentreAsync(ILocator element) => element.EvaluateAsync<bool>("""
        e => { const r = e.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return e === hit || e.contains(hit); }
        """);
}
