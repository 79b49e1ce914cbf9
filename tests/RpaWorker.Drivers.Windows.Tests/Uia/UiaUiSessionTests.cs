using RpaWorker.Drivers.Windows.Uia;
using RpaWorker.Ui;
using static RpaWorker.Drivers.Windows.Tests.Uia.Screens;

namespace RpaWorker.Drivers.Windows.Tests.Uia;

public sealed class UiaUiSessionTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static async Task<(UiaUiSession Session, ScriptedBackend Screen)> CreateSut(params UiaNode[] windows)
    {
        var screen = new ScriptedBackend();
        screen.Windows.AddRange(windows);
        var session = new UiaUiSession(screen, TimeProvider.System);
        if (windows.Length > 0)
        {
            Assert.True((await session.NavigateAsync("uia://MedDesk", Wait, CancellationToken.None)).Ok);
        }
        return (session, screen);
    }

    [Fact]
    public async Task NavigateAsync_ProcessWithoutWindow_FailsNamingTheProcess()
    {
        var (session, _) = await CreateSut();

        var result = await session.NavigateAsync("uia://meddesk", Short, CancellationToken.None);

        Assert.Equal(UiFailure.NotFound, result.Failure);
        Assert.Contains("process 'meddesk' did not show a window", result.Reason);
    }

    [Fact]
    public async Task NavigateAsync_TitleOfAnotherProcess_DoesNotAttachToIt()
    {
        var (session, _) = await CreateSut();

        var result = await session.NavigateAsync("uia://meddesk?title=Other+app", Short, CancellationToken.None);

        Assert.Equal(UiFailure.NotFound, result.Failure);
    }

    [Fact]
    public async Task NavigateAsync_NotAUiaAddress_IsUnsupported()
    {
        var (session, _) = await CreateSut(Login());

        var result = await session.NavigateAsync("https://meddesk.example", Short, CancellationToken.None);

        Assert.Equal(UiFailure.Unsupported, result.Failure);
    }

    [Fact]
    public async Task Location_ChartWindow_NamesProcessAndSelectedTabAndKeepsTheTitleInTheFragment()
    {
        var (session, _) = await CreateSut(Chart());

        Assert.Equal($"uia://MedDesk/Problems#MedDesk Classic - {PatientName}", session.Location);
    }

    [Fact]
    public async Task Login_FillAndClick_ReachTheChart()
    {
        var (session, screen) = await CreateSut(Login());
        screen.OnAction = (entry, _) =>
        {
            if (entry == "click signIn")
            {
                screen.Windows.Clear();
                screen.Windows.Add(Chart());
            }
        };

        Assert.True((await session.FillAsync(Target(LocatorKind.Label, "User name"), "clerk", Wait, CancellationToken.None)).Ok);
        Assert.True((await session.FillAsync(Target(LocatorKind.Label, "Password"), "secret", Wait, CancellationToken.None)).Ok);
        var click = await session.ClickAsync(Target(LocatorKind.Role, "button", "Sign in"), Wait, CancellationToken.None);

        Assert.True(click.Ok, click.Reason);
        Assert.Equal(["fill userBox", "fill passwordBox", "click signIn"], screen.Actions);
        Assert.StartsWith("uia://MedDesk/Problems#", session.Location);
    }

    [Fact]
    public async Task ClickAsync_TargetThatAppearsLater_WaitsForIt()
    {
        var (session, screen) = await CreateSut(Login());
        screen.BeforeSnapshot = n =>
        {
            if (n == 4)
            {
                screen.Windows[0].Add(Node(UiaControlType.Button, "Continue", "continueButton", At(200, 70, 80, 25)));
            }
        };

        var result = await session.ClickAsync(Target(LocatorKind.Role, "button", "Continue"), Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Contains("click continueButton", screen.Actions);
    }

    [Fact]
    public async Task ReadTextAsync_MissingTarget_FailsNamingTheTargetAndNoScreenText()
    {
        var (session, _) = await CreateSut(Chart(AllergyWarning()));
        var target = new UiTarget([new UiLocator(LocatorKind.Label, "DOB"), new UiLocator(LocatorKind.AccessibilityId, "dobBox")], "banner.birth_date");

        var result = await session.ReadTextAsync(target, Short, CancellationToken.None);

        Assert.Equal(UiFailure.NotFound, result.Failure);
        Assert.Contains("target 'banner.birth_date' not found: tried Label \"DOB\"; AccessibilityId \"dobBox\"", result.Reason);
        Assert.DoesNotContain("ZZCANARY", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReadTextAsync_RightOfLabel_ReadsTheFoldedValue()
    {
        var (session, _) = await CreateSut(Chart());

        var result = await session.ReadTextAsync(Target(LocatorKind.RightOf, "Name:"), Wait, CancellationToken.None);

        Assert.Equal(PatientName, result.Value);
        Assert.Equal(0, result.Locator);
    }

    [Fact]
    public async Task ReadTextAsync_EditBox_ReadsItsValueNotItsName()
    {
        var (session, screen) = await CreateSut(Chart());
        screen.Values[screen.Windows[0].Descendants().Single(n => n.AutomationId == "mrnBox")] = $"  {Mrn}\n";

        var result = await session.ReadTextAsync(Target(LocatorKind.Label, "MRN:"), Wait, CancellationToken.None);

        Assert.Equal(Mrn, result.Value);
    }

    [Fact]
    public async Task ClickAsync_SeveralMatches_IsAmbiguous()
    {
        var (session, _) = await CreateSut(Chart(Node(UiaControlType.Button, "Print chart", "printChart", At(200, 500, 80, 25))));

        var result = await session.ClickAsync(Target(LocatorKind.Role, "button", "Pri"), Short, CancellationToken.None);

        Assert.Equal(UiFailure.Ambiguous, result.Failure);
    }

    [Fact]
    public async Task ClickAsync_SeveralMatchesOneWholeName_PicksIt()
    {
        var (session, screen) = await CreateSut(Chart(Node(UiaControlType.Button, "Print chart", "printChart", At(200, 500, 80, 25))));

        var result = await session.ClickAsync(Target(LocatorKind.Role, "button", "Print"), Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["click printButton"], screen.Actions);
    }

    [Fact]
    public async Task ClickAsync_DisabledButton_IsBlocked()
    {
        var (session, screen) = await CreateSut(Chart());

        var result = await session.ClickAsync(Target(LocatorKind.AccessibilityId, "saveButton"), Short, CancellationToken.None);

        Assert.Equal(UiFailure.Blocked, result.Failure);
        Assert.Contains("is disabled", result.Reason);
        Assert.Empty(screen.Actions);
    }

    [Fact]
    public async Task ClickAsync_WhileAModalDialogIsOpen_IsBlockedAndTheDialogIsReported()
    {
        var (session, screen) = await CreateSut(Chart(AllergyWarning()));

        var result = await session.ClickAsync(Target(LocatorKind.AccessibilityId, "printButton"), Short, CancellationToken.None);

        Assert.Equal(UiFailure.Blocked, result.Failure);
        Assert.Contains("covered by an open modal dialog", result.Reason);
        Assert.DoesNotContain("ZZCANARY", result.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new UiDialog("message", $"Patient {PatientName} has allergies"), session.OpenDialog);
        Assert.Empty(screen.Actions);
    }

    [Fact]
    public async Task AcceptDialogAsync_OpenMessageBox_ClicksOkAndTheDialogIsGone()
    {
        var warning = AllergyWarning();
        var chart = Chart(warning);
        var (session, screen) = await CreateSut(chart);
        screen.OnAction = (entry, _) => chart.Children.Remove(warning);

        var result = await session.AcceptDialogAsync(CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["click 2"], screen.Actions);
        Assert.Null(session.OpenDialog);
    }

    [Fact]
    public async Task AcceptDialogAsync_NoDialog_IsNotFound()
    {
        var (session, _) = await CreateSut(Chart());

        Assert.Equal(UiFailure.NotFound, (await session.AcceptDialogAsync(CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task SelectAsync_TabControl_SelectsTheNamedTab()
    {
        var (session, screen) = await CreateSut(Chart());

        var result = await session.SelectAsync(Target(LocatorKind.AccessibilityId, "chartTabs"), "Medications", Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["select TabItem:Medications"], screen.Actions);
    }

    [Fact]
    public async Task SelectAsync_ClosedComboBox_OpensItChoosesTheItemAndClosesIt()
    {
        var chart = Chart();
        var (session, screen) = await CreateSut(chart);
        screen.OnAction = (entry, node) =>
        {
            if (entry == "expand visitType")
            {
                // WinForms fills a combo box's list when it opens.
                var list = node.Children[0];
                list.Add(Node(UiaControlType.ListItem, "Office visit", bounds: At(100, 60, 150)));
                list.Add(Node(UiaControlType.ListItem, "Telephone", bounds: At(100, 80, 150)));
            }
        };

        var result = await session.SelectAsync(Target(LocatorKind.Label, "Visit type"), "telephone", Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["expand visitType", "select ListItem:Telephone", "collapse visitType"], screen.Actions);
    }

    [Fact]
    public async Task SelectAsync_OptionNotInTheList_IsNotFoundWithoutTheOption()
    {
        var (session, _) = await CreateSut(Chart());

        var result = await session.SelectAsync(Target(LocatorKind.AccessibilityId, "problemGrid"), "ZZCANARY diagnosis", Short, CancellationToken.None);

        Assert.Equal(UiFailure.NotFound, result.Failure);
        Assert.DoesNotContain("ZZCANARY", result.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SelectAsync_GridRow_SelectsTheRowThatShowsTheOption()
    {
        var (session, screen) = await CreateSut(Chart());

        var result = await session.SelectAsync(Target(LocatorKind.Role, "grid"), "Asthma", Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["select DataItem:Asthma"], screen.Actions);
    }

    [Fact]
    public async Task ReadTableAsync_GridWithoutGridPattern_IsReadFromTheTree()
    {
        var (session, _) = await CreateSut(Chart());

        var result = await session.ReadTableAsync(Target(LocatorKind.NearHeading, "Problem List"), Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["Problem", "Onset"], result.Value!.Headers);
        Assert.Equal([["Hypertension", "03/14/2019"], ["Asthma", "Mar 5 '19"]], result.Value.Rows);
    }

    [Fact]
    public async Task ReadTableAsync_GroupAroundAGrid_ReadsTheGridThroughItsPattern()
    {
        var (session, screen) = await CreateSut(Chart());
        var read = new UiTable(["Problem", "Onset"], [["Hypertension", "03/14/2019"], ["Asthma", "Mar 5 '19"], ["Gout", "01/02/2020"]]);
        screen.Grid = node => node.AutomationId == "problemGrid" ? read : null;

        var result = await session.ReadTableAsync(Target(LocatorKind.AccessibilityId, "problemBox"), Wait, CancellationToken.None);

        Assert.Same(read, result.Value);
    }

    [Fact]
    public async Task ReadTableAsync_TargetWithNoTable_IsUnsupported()
    {
        var (session, _) = await CreateSut(Login());

        var result = await session.ReadTableAsync(Target(LocatorKind.AccessibilityId, "userBox"), Wait, CancellationToken.None);

        Assert.Equal(UiFailure.Unsupported, result.Failure);
    }

    [Fact]
    public async Task FillAsync_NotAnEditBox_IsUnsupported()
    {
        var (session, _) = await CreateSut(Login());

        var result = await session.FillAsync(Target(LocatorKind.AccessibilityId, "signIn"), "x", Wait, CancellationToken.None);

        Assert.Equal(UiFailure.Unsupported, result.Failure);
        Assert.Contains("is a Button, not an editable field", result.Reason);
    }

    [Fact]
    public async Task PressAsync_EnterOnAField_FocusesItAndSendsTheKey()
    {
        var (session, screen) = await CreateSut(Login());

        var result = await session.PressAsync("Enter", Target(LocatorKind.AccessibilityId, "passwordBox"), Wait, CancellationToken.None);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(["press 0D passwordBox"], screen.Actions);
    }

    [Fact]
    public async Task PressAsync_UnknownKey_IsUnsupported()
    {
        var (session, _) = await CreateSut(Login());

        var result = await session.PressAsync("Hyper", null, Wait, CancellationToken.None);

        Assert.Equal(UiFailure.Unsupported, result.Failure);
    }

    [Fact]
    public async Task VisibleAndShowsText_FollowWhatIsShowing()
    {
        var (session, _) = await CreateSut(Chart());

        Assert.True(await session.IsVisibleAsync(Target(LocatorKind.Text, "Hypertension"), CancellationToken.None));
        Assert.False(await session.IsVisibleAsync(Target(LocatorKind.Text, "Lisinopril"), CancellationToken.None));
        Assert.True(await session.ShowsTextAsync("problem list", CancellationToken.None));
        Assert.False(await session.ShowsTextAsync("Lisinopril", CancellationToken.None));
    }

    [Fact]
    public async Task Operations_BeforeNavigate_AreDisconnected()
    {
        var (session, _) = await CreateSut();

        var result = await session.ClickAsync(Target(LocatorKind.Text, "OK"), Short, CancellationToken.None);

        Assert.Equal(UiFailure.Disconnected, result.Failure);
        Assert.Contains("navigate to uia://PROCESS first", result.Reason);
    }

    [Fact]
    public async Task OpenSessionAsync_RealDriver_WorksOnWindowsAndSaysWhyNotElsewhere()
    {
        await using var driver = new UiaUiDriver();

        if (OperatingSystem.IsWindows())
        {
            await using var session = await driver.OpenSessionAsync(new UiSessionOptions(), CancellationToken.None);
            Assert.Equal("", session.Location);
        }
        else
        {
            var error = await Assert.ThrowsAsync<UiaUnavailableException>(() => driver.OpenSessionAsync(new UiSessionOptions(), CancellationToken.None));
            Assert.Contains("runs on Windows only", error.Message);
        }
    }
}
