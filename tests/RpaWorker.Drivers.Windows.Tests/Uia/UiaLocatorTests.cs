using RpaWorker.Drivers.Windows.Uia;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Windows.Tests.Uia.Screens;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

public sealed class UiaLocatorTests
{
    private static UiaLocator CreateSut(params UiaNode[] windows) => new(new UiaSnapshot(windows));

    private static List<string> Found(UiaLocator sut, LocatorKind kind, string value, string? name = null, bool exact = false) =>
        sut.Resolve(new UiLocator(kind, value, name, exact))!.Select(ScriptedBackend.Describe).ToList();

    [Fact]
    public void Resolve_LabelWithLabeledByRelation_FindsTheEditBox()
    {
        Assert.Equal(["userBox"], Found(CreateSut(Login()), LocatorKind.Label, "User name"));
    }

    [Fact]
    public void Resolve_LabelThatNamesNothing_FindsTheInputDrawnToItsRight()
    {
        Assert.Equal(["passwordBox"], Found(CreateSut(Login()), LocatorKind.Label, "Password:"));
    }

    [Fact]
    public void Resolve_LabelCarriedAsTheInputsOwnName_FindsTheInput()
    {
        Assert.Equal(["mrnBox"], Found(CreateSut(Chart()), LocatorKind.Label, "MRN"));
    }

    [Fact]
    public void Resolve_RoleAndName_FindsTheButton()
    {
        Assert.Equal(["signIn"], Found(CreateSut(Login()), LocatorKind.Role, "button", "sign in"));
    }

    [Fact]
    public void Resolve_UnknownRole_IsNotAnswerable()
    {
        Assert.Null(CreateSut(Login()).Resolve(new UiLocator(LocatorKind.Role, "spreadsheet")));
    }

    [Fact]
    public void Resolve_AutomationId_FindsTheElement()
    {
        Assert.Equal(["problemGrid"], Found(CreateSut(Chart()), LocatorKind.AccessibilityId, "problemGrid"));
    }

    [Fact]
    public void Resolve_TextInAGridRow_FindsTheCellNotTheRowNamedAfterIt()
    {
        var found = CreateSut(Chart()).Resolve(new UiLocator(LocatorKind.Text, "Hypertension"))!;

        var cell = Assert.Single(found);
        Assert.Equal(UiaControlType.Text, cell.ControlType);
        Assert.Equal(UiaControlType.DataItem, cell.Parent!.ControlType);
    }

    [Fact]
    public void Resolve_TextOfEditBoxName_IsNotTextTheScreenShows()
    {
        // An edit box is named after its label; the label is the text a person sees, once.
        var found = CreateSut(Login()).Resolve(new UiLocator(LocatorKind.Text, "User name:", Exact: true))!;

        Assert.Equal(UiaControlType.Text, Assert.Single(found).ControlType);
    }

    [Fact]
    public void Resolve_RightOfLabel_FindsTheValueOnTheSameLine()
    {
        var value = Assert.Single(CreateSut(Chart()).Resolve(new UiLocator(LocatorKind.RightOf, "Name:"))!);

        Assert.Equal(PatientName, value.Name);
    }

    [Fact]
    public void Resolve_BelowHeader_FindsTheFirstCellUnderIt()
    {
        var cell = Assert.Single(CreateSut(Chart()).Resolve(new UiLocator(LocatorKind.Below, "Onset", Exact: true))!);

        Assert.Equal("03/14/2019", cell.Name);
    }

    [Fact]
    public void Resolve_NearHeading_FindsTheGridAfterTheGroupCaption()
    {
        Assert.Equal(["problemGrid"], Found(CreateSut(Chart()), LocatorKind.NearHeading, "Problem List"));
    }

    [Fact]
    public void Resolve_TextOnAHiddenTabPage_IsNotFound()
    {
        Assert.Empty(Found(CreateSut(Chart()), LocatorKind.Text, "Lisinopril"));
    }

    [Fact]
    public void Resolve_DialogRole_FindsOnlyModalWindows()
    {
        Assert.Empty(Found(CreateSut(Chart()), LocatorKind.Role, "dialog"));
        Assert.Equal(["Window:Warning"], Found(CreateSut(Chart(AllergyWarning())), LocatorKind.Role, "dialog"));
    }

    [Theory]
    [InlineData(LocatorKind.Css)]
    [InlineData(LocatorKind.XPath)]
    [InlineData(LocatorKind.OcrText)]
    [InlineData(LocatorKind.Ai)]
    public void Resolve_LocatorAnAccessibilityTreeCannotAnswer_IsNull(LocatorKind kind)
    {
        Assert.Null(CreateSut(Login()).Resolve(new UiLocator(kind, "#userBox")));
    }
}
