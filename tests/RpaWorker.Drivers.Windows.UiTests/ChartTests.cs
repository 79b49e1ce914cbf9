using System.Runtime.Versioning;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Windows.UiTests.MedDeskWindow;

namespace RpaWorker.Drivers.Windows.UiTests;

[SupportedOSPlatform("windows")]
public sealed class ChartTests
{
    [Fact]
    public async Task ReadText_LabelledReadOnlyBoxAndValueRightOfLabel_ReadWhatTheChartShows()
    {
        await InChartAsync(async session =>
        {
            Assert.Equal("00123456", (await session.ReadTextAsync(Target(LocatorKind.Label, "MRN"), Wait, CancellationToken.None)).Value);
            Assert.Equal("03/14/1987", (await session.ReadTextAsync(Target(LocatorKind.RightOf, "DOB:"), Wait, CancellationToken.None)).Value);
            Assert.Equal("00123456", (await session.ReadTextAsync(Target(LocatorKind.AccessibilityId, "mrnBox"), Wait, CancellationToken.None)).Value);
        });
    }

    [Fact]
    public async Task ReadTable_ListViewNearItsGroupCaption_ReadsHeadersAndEveryRow()
    {
        await InChartAsync(async session =>
        {
            var table = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "Problem List"), Wait, CancellationToken.None);

            Assert.True(table.Ok, table.Reason);
            Assert.Equal(["Problem", "Code", "Onset"], table.Value!.Headers);
            Assert.Equal(
                [
                    ["Essential hypertension", "59621000", "03/14/2019"],
                    ["Asthma", "195967001", "Mar 5 '19"],
                    ["Type 2 diabetes mellitus", "44054006", "11/02/2020"],
                ],
                table.Value.Rows);
        });
    }

    [Fact]
    public async Task Select_TabThenReadTable_ReadsTheListBoxOnThatTab()
    {
        await InChartAsync(async session =>
        {
            Assert.False(await session.ShowsTextAsync("Albuterol inhaler", CancellationToken.None));

            Ok(await session.SelectAsync(Target(LocatorKind.Role, "tablist"), "Medications", Wait, CancellationToken.None));

            Assert.StartsWith($"uia://{Process}/Medications#", session.Location, StringComparison.Ordinal);
            var list = await session.ReadTableAsync(Target(LocatorKind.AccessibilityId, "medicationList"), Wait, CancellationToken.None);
            Assert.Equal([["Lisinopril 10 mg tablet"], ["Albuterol inhaler"], ["Metformin 500 mg tablet"]], list.Value!.Rows);
        });
    }

    [Fact]
    public async Task Click_Tab_SelectsIt()
    {
        await InChartAsync(async session =>
        {
            Ok(await session.ClickAsync(Target(LocatorKind.Role, "tab", "Medications"), Wait, CancellationToken.None));

            Assert.True(await session.IsVisibleAsync(Target(LocatorKind.Text, "Albuterol inhaler"), CancellationToken.None));
        });
    }

    [Fact]
    public async Task Select_ComboBoxItem_ChangesTheChosenVisit()
    {
        await InChartAsync(async session =>
        {
            Ok(await session.SelectAsync(Target(LocatorKind.Label, "Visit type"), "Telephone", Wait, CancellationToken.None));

            var chosen = await session.ReadTextAsync(Target(LocatorKind.AccessibilityId, "chosenVisit"), Wait, CancellationToken.None);
            Assert.Equal("Telephone", chosen.Value);
        });
    }

    [Fact]
    public async Task Select_ListViewRow_SelectsTheProblem()
    {
        await InChartAsync(async session =>
        {
            Ok(await session.SelectAsync(Target(LocatorKind.AccessibilityId, "problemList"), "Asthma", Wait, CancellationToken.None));

            var picked = await session.ReadTextAsync(Target(LocatorKind.AccessibilityId, "pickedProblem"), Wait, CancellationToken.None);
            Assert.Equal("Asthma", picked.Value);
        });
    }

    [Fact]
    public async Task Click_DisabledSave_IsBlocked()
    {
        await InChartAsync(async session =>
        {
            var result = await session.ClickAsync(Target(LocatorKind.Role, "button", "Save"), Short, CancellationToken.None);

            Assert.Equal(UiFailure.Blocked, result.Failure);
            Assert.Contains("is disabled", result.Reason);
        });
    }

    [Fact]
    public async Task Click_ButtonThatOpensAMessageBox_ReturnsAndReportsTheDialog()
    {
        await InChartAsync(async session =>
        {
            Ok(await session.ClickAsync(Target(LocatorKind.Role, "button", "Allergies"), Wait, CancellationToken.None));

            Assert.Equal(new UiDialog("message", "Allergic to penicillin."), session.OpenDialog);
            Ok(await session.AcceptDialogAsync(CancellationToken.None));
            Assert.Null(session.OpenDialog);
        });
    }

    [Fact]
    public async Task ReadText_MissingTarget_FailsWithoutScreenText()
    {
        await InChartAsync(async session =>
        {
            var result = await session.ReadTextAsync(new UiTarget([new UiLocator(LocatorKind.Label, "Insurance")], "banner.insurance"), Short, CancellationToken.None);

            Assert.Equal(UiFailure.NotFound, result.Failure);
            Assert.Contains("target 'banner.insurance' not found", result.Reason);
            Assert.DoesNotContain("DOE", result.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Screenshot_Chart_IsAPngOfTheWindow()
    {
        await InChartAsync(async session =>
        {
            var png = await session.ScreenshotAsync(CancellationToken.None);

            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.True(png.Length > 1000);
        });
    }
}
