using System.Globalization;
using RpaWorker.MockEhr.Export;

namespace RpaWorker.MockEhr.Tests.Web;

[Collection(BrowserCollection.Name)]
public sealed class SkinTests(BrowserFixture browser)
{
    [Fact]
    public async Task V2Skin_SamePatient_ShowsRenamedLabelsFieldsAndMovedAllergies()
    {
        await using var v1 = await MockEhrDriver.StartAsync(browser);
        await using var v2 = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { Skin = MockEhrSkin.V2 });

        await v1.GotoAsync("login");
        await v2.GotoAsync("login");
        Assert.Equal(1, await v1.Page.Locator("input#username[name=username]").CountAsync());
        Assert.Equal(0, await v1.Page.Locator("input#user").CountAsync());
        Assert.Equal(1, await v2.Page.Locator("input#user[name=user]").CountAsync());
        Assert.Equal(1, await v2.Page.Locator("input#pwd[type=password]").CountAsync());
        Assert.Equal("Login", await v1.Page.GetAttributeAsync("input[type=submit]", "value"));
        Assert.Equal("Sign In", await v2.Page.GetAttributeAsync("input[type=submit]", "value"));

        await v1.SubmitLoginAsync();
        await v2.SubmitLoginAsync();
        await v1.OpenChartAsync(TestCharts.DoeMrn);
        await v2.OpenChartAsync(TestCharts.DoeMrn);
        var v1Text = await v1.Page.InnerTextAsync("body");
        var v2Text = await v2.Page.InnerTextAsync("body");

        Assert.DoesNotContain("D.O.B.", v1Text);
        Assert.Contains("D.O.B.", v2Text);
        Assert.Equal("03/14/1987", await v1.ValueAfterLabelAsync("DOB:"));
        Assert.Equal("03/14/1987", await v2.ValueAfterLabelAsync("D.O.B.:"));
        Assert.Equal(TestCharts.DoeMrn, await v2.ValueAfterLabelAsync("Med Rec #:"));
        Assert.Equal("DOE, JOHN A", await v2.ValueAfterLabelAsync("Pt Name:"));

        await v1.Page.ClickAsync("a:text-is('Problem List')");
        await v2.Page.ClickAsync("a:text-is('Problems/Allergies')");
        var v1First = (await MockEhrDriver.GridRowsAsync(v1.Page))[0];
        var v2First = (await MockEhrDriver.GridRowsAsync(v2.Page))[0];
        Assert.Equal(v1First.Order(StringComparer.Ordinal), v2First.Order(StringComparer.Ordinal));
        Assert.NotEqual(v1First, v2First);
        Assert.Equal(0, await v1.Page.Locator("iframe").CountAsync());
        Assert.Equal(1, await v2.Page.Locator("iframe").CountAsync());
        Assert.Equal(0, await v2.Page.Locator("a:text-is('Allergies')").CountAsync());
    }

    [Fact]
    public async Task V2Skin_Demographics_ShowsGuarantorWhoseDateOfBirthIsAnotherValidDateNotInTheGroundTruth()
    {
        await using var v1 = await MockEhrDriver.StartAsync(browser);
        await using var v2 = await MockEhrDriver.StartAsync(browser, new MockEhrOptions { Skin = MockEhrSkin.V2 });
        await v1.LoginAsync();
        await v2.LoginAsync();
        await v1.OpenChartAsync(TestCharts.DoeMrn);
        await v2.OpenChartAsync(TestCharts.DoeMrn);

        Assert.DoesNotContain("Guarantor", await v1.Page.InnerTextAsync("body"), StringComparison.Ordinal);
        var guarantorDob = await v2.ValueAfterLabelAsync("D.O.B:");
        var guarantorName = await v2.ValueAfterLabelAsync("Name:");
        Assert.StartsWith("DOE, ", guarantorName, StringComparison.Ordinal);
        Assert.NotEqual("DOE, JOHN A", guarantorName);
        Assert.Equal("Parent", await v2.ValueAfterLabelAsync("Relationship:"));
        var born = DateOnly.ParseExact(guarantorDob, "MM/dd/yyyy", CultureInfo.InvariantCulture);
        Assert.InRange(DateOnly.ParseExact("03/14/1987", "MM/dd/yyyy", CultureInfo.InvariantCulture).Year - born.Year, 21, 40);
        // The patient's own date of birth is still the one under "D.O.B.:" in the banner.
        Assert.Equal("03/14/1987", await v2.ValueAfterLabelAsync("D.O.B.:"));

        var truth = Directory.CreateTempSubdirectory("skin-truth-").FullName;
        try
        {
            using var store = TestCharts.Store();
            GroundTruthExporter.Export(store, truth);
            var iso = born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.All(Directory.GetFiles(truth), f => Assert.DoesNotContain(iso, File.ReadAllText(f), StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(truth, recursive: true);
        }
    }
}
