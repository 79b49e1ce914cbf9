using RpaWorker.Engine.Healing;
using RpaWorker.Engine.Running;
using RpaWorker.Playbooks;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Tests.Healing;

/// <summary>
/// Heals a screen-read playbook needs on an upgraded application where what proves a click is a text the screen shows,
/// a list's row is selected before a button opens it, labels lose their punctuation or name several places, and a tab
/// click that one patient's screen cannot prove is tried again for the next patient.
/// </summary>
public sealed class UpgradeHealingTests : IDisposable
{
    private const string Playbook = """
        playbook: test/upgrade
        version: 1.0.0
        driver: pixel
        steps:
          - click: { text: Login, exact: true }
          - wait: { until: { text: "patient(s) found" } }
          - extract_table:
              into: patients
              target: { near_heading: "Patients" }
              columns: { Name: name, MRN: mrn }
          - click: { below: "Name", exact: true }
          - click: { text: "Open Chart", exact: true }
          - id: chart
            extract:
              into: patient
              fields:
                mrn: { target: { right_of: "MRN:" } }
                birth_date: { target: { right_of: "DOB:" }, parse: { date: "MM/dd/yyyy" }, required: false }
        emit:
          - resource: Patient
            key: "{{ patient.mrn }}"
            map:
              birthDate: "{{ patient.birth_date }}"
        """;

    // A tab clicked for each patient of a list, proved by the record count the next step waits for.
    private const string TabsPlaybook = """
        playbook: test/upgrade-tabs
        version: 1.0.0
        driver: pixel
        steps:
          - extract_table:
              into: patients
              target: { near_heading: "Patients" }
              columns: { Name: name, MRN: mrn }
          - for_each:
              in: patients
              as: p
              work_item: true
              do:
                - click: { text: "Immunizations", exact: true }
                - wait: { until: { text: "record(s)" } }
                - extract:
                    into: patient
                    fields:
                      mrn: { target: { right_of: "MRN:" } }
        emit:
          - resource: Patient
            key: "{{ patient.mrn }}"
            map:
              gender: unknown
        """;

    private const int Never = 1000;

    private readonly string _folder = Directory.CreateTempSubdirectory("heal-upgrade-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (PlaybookRunner Runner, SelfHealing Healing) CreateSut(string playbook = Playbook, string name = "upgrade.yaml")
    {
        var file = Path.Combine(_folder, name);
        if (!File.Exists(file))
        {
            File.WriteAllText(file, playbook);
        }
        var loaded = PlaybookLoader.LoadFile(file);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        return (PlaybookRunner.Create(loaded.Playbook!), new SelfHealing(HealStore.Open(HealStore.DefaultPathFor(file)),
            new HealingOptions { VerifyTimeout = TimeSpan.FromMilliseconds(50) }));
    }

    private static RunOptions Options(SelfHealing healing) => new()
    {
        DefaultTimeout = TimeSpan.FromMilliseconds(50),
        DefaultBackoff = TimeSpan.FromMilliseconds(1),
        PollInterval = TimeSpan.FromMilliseconds(5),
        Healing = healing,
    };

    private static UiFingerprint Print(UiElementKind kind, string label, string path, double x, double y, params string[] nearby) => new()
    {
        Kind = kind, Role = kind == UiElementKind.Value ? "text" : "button", Label = label, Path = path, X = x, Y = y, Nearby = nearby,
    };

    private static UiTable Patients(params string[] headers) =>
        new(headers, [headers[0] == "Name" || headers[0] == "Pt Name" ? ["DOE, JANE", "1234567"] : ["1234567", "DOE, JANE"]]);

    /// <summary>The known-good screens: sign-in, the patient list, the chart with the banner.</summary>
    private static FakeSession V1()
    {
        var s = new FakeSession();
        foreach (var control in new[] { "Login", "Name", "Open Chart" })
        {
            s.Texts[control] = control;
        }
        s.Prints["Login"] = Print(UiElementKind.Control, "Login", "window/line[6]/cell[0]", 0.1, 0.3, "Login Help");
        s.Prints["Name"] = Print(UiElementKind.Control, "Name", "window/line[9]/cell[0]", 0.1, 0.5, "MRN");
        s.OnClick["Login"] = () => s.ScreenText = "1 patient(s) found";
        s.Tables["Patients"] = [Patients("Name", "MRN")];
        s.Texts["MRN:"] = "1234567";
        s.Texts["DOB:"] = "03/14/1987";
        s.Prints["MRN:"] = Print(UiElementKind.Value, "MRN:", "window/line[1]/cell[3]", 0.2, 0.08, "Patient:", "DOB:");
        s.Prints["DOB:"] = Print(UiElementKind.Value, "DOB:", "window/line[1]/cell[5]", 0.3, 0.08, "Patient:", "MRN:");
        return s;
    }

    /// <summary>
    /// The upgrade: the sign-in button is "Sign In" (a "Login Help" button beside it looks more like the old one), the list's
    /// columns are "Med Rec #" and "Pt Name", and the banner's "DOB:" is gone.
    /// </summary>
    private static FakeSession V2()
    {
        var s = new FakeSession();
        s.Failures["Login"] = new Queue<UiFailure>(Enumerable.Repeat(UiFailure.NotFound, Never));
        s.Failures["Name"] = new Queue<UiFailure>(Enumerable.Repeat(UiFailure.NotFound, Never));
        s.Candidates.Add(new UiCandidate(Print(UiElementKind.Control, "Login Help", "window/line[6]/cell[0]", 0.1, 0.3, "Sign In"), new UiLocator(LocatorKind.Text, "Login Help", Exact: true)));
        s.Candidates.Add(new UiCandidate(Print(UiElementKind.Control, "Sign In", "window/line[6]/cell[1]", 0.2, 0.3, "Login Help"), new UiLocator(LocatorKind.Text, "Sign In", Exact: true)));
        s.OnClick["Sign In"] = () => s.ScreenText = "1 patient(s) found";
        s.Tables["Patients"] = [Patients("Med Rec #", "Pt Name")];
        s.Visible.Add("Open Chart");
        s.Texts["MRN:"] = "1234567";
        return s;
    }

    private async Task LearnOnV1Async()
    {
        var (runner, healing) = CreateSut();
        var result = await runner.RunAsync(V1(), Options(healing), CancellationToken.None);
        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single(result.Items).Status);
    }

    [Fact]
    public async Task RunAsync_ClickProvedByTheTextTheNextWaitWaitsFor_IsHealedToTheControlThatShowsIt()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();
        var screen = V2();

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single(result.Items).Status);
        // "Login Help" scores higher and is tried first, but shows no result count: "Sign In" does, and is the heal.
        Assert.Equal(["click Login Help", "click Sign In"], screen.Actions.Where(a => a is "click Login Help" or "click Sign In"));
        var heal = Assert.Single(healing.Store.Proposals, p => p.Target == "text \"Login\"");
        Assert.Equal(new UiLocator(LocatorKind.Text, "Sign In", Exact: true), heal.Locator);
    }

    [Fact]
    public async Task RunAsync_TheWaitedForTextIsShownBeforeTheClick_NoCandidateIsClickedWithoutAClearWin()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();
        var screen = V2();
        // The text the next step waits for is there already, so a click proves little, and two buttons say "Sign In"
        // (one for another site): neither wins clearly, and neither is clicked.
        screen.ScreenText = "12 patient(s) found";
        screen.Candidates.RemoveAll(c => c.Fingerprint.Label == "Login Help");
        screen.Candidates.Add(new UiCandidate(Print(UiElementKind.Control, "Sign In", "window/line[6]/cell[2]", 0.3, 0.3, "Login Help"),
            new UiLocator(LocatorKind.Text, "Sign In", Exact: true, Index: 1)));

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        Assert.Equal(WorkItemStatus.Failed, Assert.Single(result.Items).Status);
        Assert.DoesNotContain(screen.Actions, a => a.StartsWith("click Sign In", StringComparison.Ordinal));
        Assert.DoesNotContain(healing.Store.Proposals, p => p.Target == "text \"Login\"");
    }

    [Fact]
    public async Task RunAsync_RowClickedUnderARenamedColumn_IsHealedToTheNewHeaderTheColumnHealFound()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();
        var screen = V2();

        await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        Assert.Contains(healing.Store.Proposals, p => p.Target.StartsWith("column \"Name\"", StringComparison.Ordinal) && p.Header == "Pt Name");
        var heal = Assert.Single(healing.Store.Proposals, p => p.Target == "below \"Name\"");
        Assert.Equal(new UiLocator(LocatorKind.Below, "Pt Name", Exact: true), heal.Locator);
        Assert.Contains("click Pt Name", screen.Actions);
        Assert.Contains("click Open Chart", screen.Actions);
    }

    [Fact]
    public async Task RunAsync_OnlyALookAlikeLabelFarFromTheOldOne_IsNotReadFrom()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();
        var screen = V2();
        // The banner's date lost its label (OCR read no colon, so it is no label); the guarantor's "D.O.B:" is far below.
        screen.Texts["D.O.B:"] = "07/01/1950";
        screen.Candidates.Add(new UiCandidate(Print(UiElementKind.Value, "D.O.B:", "window/line[12]/cell[1]", 0.08, 0.45, "Relationship:"),
            new UiLocator(LocatorKind.RightOf, "D.O.B:")));

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.DoesNotContain(item.Drafts.Single().Assignments, a => a.Key == "birthDate" && a.Value == "1950-07-01");
        Assert.DoesNotContain(healing.Store.Proposals, p => p.Target == "right_of \"DOB:\"");
        Assert.DoesNotContain(screen.Actions, a => a.Contains("D.O.B", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LabelThatNowNamesSeveralPlaces_IsHealedToTheOneWhereItWas()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();
        var screen = V2();
        screen.Texts["D.O.B.:"] = "03/14/1987";
        screen.ReadFailures["DOB:"] = new Queue<UiFailure>(Enumerable.Repeat(UiFailure.Ambiguous, Never));
        screen.Candidates.Add(new UiCandidate(Print(UiElementKind.Value, "D.O.B.:", "window/line[1]/cell[5]", 0.3, 0.08, "Patient:", "MRN:"),
            new UiLocator(LocatorKind.RightOf, "D.O.B.:")));

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        Assert.Contains(item.Drafts.Single().Assignments, a => a.Key == "birthDate" && a.Value == "1987-03-14");
        Assert.Equal(new UiLocator(LocatorKind.RightOf, "D.O.B.:"), Assert.Single(healing.Store.Proposals, p => p.Target == "right_of \"DOB:\"").Locator);
    }

    private static UiFingerprint Tab(string label, string path, double x) => new()
    {
        Kind = UiElementKind.Control, Role = "text", Label = label, Path = path, X = x, Y = 0.12, Nearby = ["Labs", "Visits"],
    };

    private static FakeSession Screen(bool v2)
    {
        var s = new FakeSession();
        s.Tables["Patients"] = [new UiTable(["Name", "MRN"], [["DOE, JANE", "1234567"], ["ROE, RICHARD", "7654321"], ["POE, EDGAR", "1111111"]])];
        s.Texts["MRN:"] = "1234567";
        if (!v2)
        {
            s.Texts["Immunizations"] = "Immunizations";
            s.Prints["Immunizations"] = Tab("Immunizations", "window/line[2]/cell[7]", 0.42);
            s.OnClick["Immunizations"] = () => s.ScreenText = "4 record(s)";
        }
        return s;
    }

    [Fact]
    public async Task RunAsync_FirstPatientShowsNothingThatProvesTheRenamedTab_TheNextPatientHealsIt()
    {
        var (learner, learning) = CreateSut(TabsPlaybook, "tabs.yaml");
        Assert.All((await learner.RunAsync(Screen(v2: false), Options(learning), CancellationToken.None)).Items,
            i => Assert.Equal(WorkItemStatus.Succeeded, i.Status));
        var (runner, healing) = CreateSut(TabsPlaybook, "tabs.yaml");
        var screen = Screen(v2: true);
        screen.Failures["Immunizations"] = new Queue<UiFailure>(Enumerable.Repeat(UiFailure.NotFound, 1000));
        screen.Candidates.Add(new UiCandidate(Tab("Health Maintenance", "window/line[2]/cell[6]", 0.35), new UiLocator(LocatorKind.Text, "Health Maintenance", Exact: true)));
        // The first patient's list is empty: the tab shows no record count, so nothing proves the click.
        var clicks = 0;
        screen.OnClick["Health Maintenance"] = () => screen.ScreenText = ++clicks == 1 ? "" : "3 record(s)";

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        Assert.Equal([WorkItemStatus.Failed, WorkItemStatus.Succeeded, WorkItemStatus.Succeeded], result.Items.Select(i => i.Status));
        var heal = Assert.Single(healing.Store.Proposals, p => p.Target == "text \"Immunizations\"");
        Assert.Equal(new UiLocator(LocatorKind.Text, "Health Maintenance", Exact: true), heal.Locator);
    }
}
