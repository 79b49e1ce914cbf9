using System.Text.Json;
using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Drivers.Desktop.Tests.Pixel.Support;
using RpaWorker.Engine.Healing;
using RpaWorker.Engine.Running;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.Playbooks;
using RpaWorker.Ui;
using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr.Tesseract;
using static RpaWorker.Drivers.Desktop.Tests.Pixel.Support.PixelFlows;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel;

/// <summary>
/// Self-healing on pixel screens, offline: the desktop mock's login and chart screens recorded at 1900x740 in its v1
/// and v2 skins (generated:3:1, the patient with the guarantor block in v2), read through <see cref="ImageScreenSource"/>.
/// A click on the recorded sign-in button shows the recorded chart (<see cref="RecordedApp"/>).
/// </summary>
public sealed class PixelHealingTests : IDisposable
{
    private const string Playbook = """
        playbook: test/pixel-heal
        version: 1.0.0
        driver: pixel
        steps:
          - click: { text: Login, exact: true }
          - wait: { until: { visible: { text: "Patient Search" } } }
          - id: chart
            extract:
              into: patient
              fields:
                birth_date: { target: { right_of: "DOB:" }, parse: { date: "MM/dd/yyyy" } }
          - click: { role: tab, name: "Problem List" }
          - extract_table:
              into: problems
              target: { near_heading: "PROBLEM LIST" }
              columns: { Status: status }
        emit:
          - resource: Patient
            key: recorded
            map:
              birthDate: "{{ patient.birth_date }}"
        """;

    // Where the recordings draw the sign-in button ("Login" in v1, "Sign In" in v2) and the problem list's tab
    // ("Problem List" in v1, "Problems/Allergies" in v2).
    private static readonly PixelRect SignInButton = new(87, 166, 177, 31);
    private static readonly PixelRect ProblemTabV1 = new(142, 78, 106, 32);
    private static readonly PixelRect ProblemTabV2 = new(95, 78, 137, 32);

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _folder = Directory.CreateTempSubdirectory("pixel-heal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ScreenImage Recorded(string name) => Png.Decode(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Pixel", "Screens", name)));

    /// <summary>A session on the recorded screens of one skin, showing its login screen; the sign-in button opens the chart, its problem tab the problem list.</summary>
    private static async Task<IUiSession> OpenAppAsync(string skin)
    {
        var (login, chart, problems) = (Recorded($"login-{skin}.png"), Recorded($"chart-{skin}.png"), Recorded($"problems-{skin}.png"));
        var (session, app) = await OpenAsync(login);
        app.Link(login, SignInButton, chart).Link(chart, skin == "v1" ? ProblemTabV1 : ProblemTabV2, problems);
        return session;
    }

    private static Task<(IUiSession Session, RecordedApp App)> OpenAsync(string screen) => OpenAsync(Recorded(screen));

    private static async Task<(IUiSession Session, RecordedApp App)> OpenAsync(ScreenImage first)
    {
        var source = new ImageScreenSource("MedDesk Classic 4.2", first);
        var app = new RecordedApp(source);
        app.Show(first);
        var driver = new PixelUiDriver(source, app, TesseractOcr.Shared(), PixelFixture.Options(Path.GetTempPath()));
        var session = await driver.OpenSessionAsync(new UiSessionOptions { DefaultTimeout = PixelFixture.Wait }, None);
        AssertOk(await session.NavigateAsync("x11:window=MedDesk Classic", PixelFixture.Wait, None));
        return (session, app);
    }

    /// <summary>The generated patient the recordings show, found by the record number on the v1 chart.</summary>
    private static async Task<LegacyChart> RecordedChartAsync()
    {
        var (session, _) = await OpenAsync("chart-v1.png");
        await using (session)
        {
            var mrn = await session.ReadTextAsync(Target(LocatorKind.RightOf, "MRN:", "banner.mrn"), PixelFixture.Wait, None);
            AssertOk(mrn);
            return Assert.Single(ChartGenerator.Generate(3, 1), c => c.Patient.Mrn == mrn.Value);
        }
    }

    private async Task<(RunResult Result, SelfHealing Healing)> RunAsync(string skin)
    {
        var file = Path.Combine(_folder, "chart.yaml");
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file, Playbook);
        }
        var loaded = PlaybookLoader.LoadFile(file);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var healing = new SelfHealing(HealStore.Open(HealStore.DefaultPathFor(file)),
            new HealingOptions { VerifyTimeout = PixelFixture.Wait, Ai = false });
        await using (var session = await OpenAppAsync(skin))
        {
            var options = new RunOptions
            {
                // A missing target is looked for once (each look reads the whole window); the heal then takes over.
                DefaultTimeout = TimeSpan.FromSeconds(2),
                DefaultBackoff = TimeSpan.FromMilliseconds(1),
                Healing = healing,
            };
            var result = await PlaybookRunner.Create(loaded.Playbook!).RunAsync(session, options, None);
            return (result, healing);
        }
    }

    private static string? BirthDate(RunResult result) =>
        Assert.Single(result.Items).Drafts.SingleOrDefault()?.Assignments.SingleOrDefault(a => a.Key == "birthDate").Value;

    /// <summary>Fails when <paramref name="text"/> holds anything the screens show of the patient (the guarantor's name is the patient's last name).</summary>
    private static void AssertHoldsNothingOf(LegacyChart chart, string text)
    {
        var p = chart.Patient;
        foreach (var canary in new[] { p.Mrn, p.LastName, p.FirstName, p.BirthDate, Shown.Date(p.BirthDate), p.AddressLine, p.Phone, p.City, p.Zip }
                     .Concat(chart.Problems.Select(x => x.Description)).Concat(chart.Allergies.Select(x => x.Substance))
                     .OfType<string>().Where(s => s.Length > 0))
        {
            Assert.DoesNotContain(canary, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task RunAsync_V1LearntThenV2Screens_HealsSignInAndTabAndReadsThePatientsBirthDateNotTheGuarantors()
    {
        var chart = await RecordedChartAsync();
        var patient = chart.Patient;
        var (v1, _) = await RunAsync("v1");
        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single(v1.Items).Status);
        Assert.Equal(patient.BirthDate, BirthDate(v1));

        var (v2, healing) = await RunAsync("v2");

        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single(v2.Items).Status);
        Assert.Equal(patient.BirthDate, BirthDate(v2));
        var dob = Assert.Single(healing.Store.Proposals, p => p.Target == "right_of \"DOB:\"");
        Assert.Equal(new UiLocator(LocatorKind.RightOf, "D.O.B.:"), dob.Locator);
        var signIn = Assert.Single(healing.Store.Proposals, p => p.Target.Contains("Login", StringComparison.Ordinal));
        Assert.Equal(new UiLocator(LocatorKind.Text, "Sign In", Exact: true), signIn.Locator);
        var tab = Assert.Single(healing.Store.Proposals, p => p.Target.Contains("Problem List", StringComparison.Ordinal));
        Assert.Equal(new UiLocator(LocatorKind.Role, "tab", "Problems/Allergies", Exact: true), tab.Locator);
        Assert.Equal(3, healing.HealedTargets);

        // The heal file holds fingerprints and proposals: structure only, nothing the screens showed of the patient.
        var stored = await File.ReadAllTextAsync(healing.Store.Path);
        Assert.Contains("\"DOB:\"", stored, StringComparison.Ordinal);
        AssertHoldsNothingOf(chart, stored);
    }

    // The banner of the chart playbooks, read from one screen with no steps before it.
    private const string BannerPlaybook = """
        playbook: test/pixel-banner
        version: 1.0.0
        driver: pixel
        steps:
          - extract:
              into: patient
              fields:
                name: { target: { right_of: "Patient:" }, parse: name.last_comma_first }
                mrn: { target: { right_of: "MRN:" }, parse: { regex: "^([0-9]{7})$" } }
                birth_date: { target: { right_of: "DOB:" }, parse: { date: "MM/dd/yyyy" } }
                sex: { target: { right_of: "Sex:" }, parse: { regex: "^(Male|Female)$" } }
        emit:
          - resource: Patient
            key: recorded
            map:
              name[0].family: "{{ patient.name.family }}"
              name[0].given[0]: "{{ patient.name.given }}"
              identifier[0].value: "{{ patient.mrn }}"
              birthDate: "{{ patient.birth_date }}"
              gender: "{{ patient.sex }}"
        """;

    /// <summary>
    /// The v1 banner playbook learnt on the recorded v1 chart, then run on a v2 chart of another patient as the pixel
    /// benchmark's run saw it: every banner label renamed ("Pt Name:", "Med Rec #:", "D.O.B.:", "Gender:"), the name's
    /// label set close after the name ("WOOD, LAURA E Med Rec #:"), and "D.O.B.:" read by the page OCR as "D.O.B".
    /// </summary>
    [Fact]
    public async Task RunAsync_V1BannerOnACloseSetV2Banner_HealsEveryLabelByItsPlaceOnTheLineAndReadsThePatientsValues()
    {
        var file = Path.Combine(_folder, "banner.yaml");
        await File.WriteAllTextAsync(file, BannerPlaybook);
        var loaded = PlaybookLoader.LoadFile(file);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var healing = new SelfHealing(HealStore.Open(HealStore.DefaultPathFor(file)), new HealingOptions { VerifyTimeout = PixelFixture.Wait, Ai = false });
        var options = new RunOptions { DefaultTimeout = TimeSpan.FromSeconds(2), DefaultBackoff = TimeSpan.FromMilliseconds(1), Healing = healing };
        async Task<RunResult> RunOnAsync(string screen)
        {
            var (session, _) = await OpenAsync(screen);
            await using (session)
            {
                return await PlaybookRunner.Create(loaded.Playbook!).RunAsync(session, options, None);
            }
        }
        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single((await RunOnAsync("chart-v1.png")).Items).Status);

        var v2 = await RunOnAsync("chart-v2-close-set.png");

        var item = Assert.Single(v2.Items);
        Assert.Equal(WorkItemStatus.Succeeded, item.Status);
        var read = Assert.Single(item.Drafts).Assignments.ToDictionary(a => a.Key, a => a.Value);
        var patient = Assert.Single(ChartGenerator.Generate(3, 1), c => c.Patient.Mrn == read["identifier[0].value"]).Patient;
        Assert.Equal(patient.LastName.ToUpperInvariant(), read["name[0].family"]);
        Assert.Equal(patient.FirstName.ToUpperInvariant(), read["name[0].given[0]"]);
        Assert.Equal(patient.BirthDate, read["birthDate"]);
        Assert.Equal(patient.Sex, read["gender"][..1]);
        var healed = healing.Store.Proposals.ToDictionary(p => p.Target, p => p.Locator?.Value);
        Assert.Equal("Pt Name:", healed["right_of \"Patient:\""]);
        Assert.Equal("Med Rec #:", healed["right_of \"MRN:\""]);
        Assert.Equal("D.O.B.:", healed["right_of \"DOB:\""]);
        Assert.Equal("Gender:", healed["right_of \"Sex:\""]);
    }

    [Fact]
    public async Task FingerprintAsync_BannerBirthDate_HoldsItsLabelPlaceAndNeighboursButNoValue()
    {
        var chart = await RecordedChartAsync();
        var (session, _) = await OpenAsync("chart-v1.png");
        await using var _ = session;

        var print = await session.FingerprintAsync(Target(LocatorKind.RightOf, "DOB:", "banner.dob"), None);

        Assert.NotNull(print);
        Assert.Equal(UiElementKind.Value, print.Kind);
        Assert.Equal("DOB:", print.Label);
        // The third label of the banner's line, whatever cells the values before it make.
        Assert.EndsWith("/label[2]", print.Path, StringComparison.Ordinal);
        Assert.Contains("MRN:", print.Nearby);
        Assert.Contains("Patient:", print.Nearby);
        Assert.Contains("Patient Demographics", print.Words);
        Assert.InRange(print.Y, 0, 0.1);
        AssertHoldsNothingOf(chart, JsonSerializer.Serialize(print));
    }

    [Fact]
    public async Task CandidatesAsync_V2Chart_OffersBothBirthDatesAndTheRenamedTabsByLocatorsThatFindThem()
    {
        var chart = await RecordedChartAsync();
        var patient = chart.Patient;
        var (session, _) = await OpenAsync("chart-v2.png");
        await using var _ = session;

        var values = await session.CandidatesAsync(UiElementKind.Value, new UiLocator(LocatorKind.RightOf, "DOB:"), None);
        var controls = await session.CandidatesAsync(UiElementKind.Control, new UiLocator(LocatorKind.Role, "tab", "Problem List"), None);

        var patients = Assert.Single(values, c => c.Locator.Value == "D.O.B.:");
        var guarantors = Assert.Single(values, c => c.Locator.Value == "D.O.B:");
        Assert.Contains("Guarantor", guarantors.Fingerprint.Words);
        Assert.True(patients.Fingerprint.Y < guarantors.Fingerprint.Y, "the banner is above the guarantor block");
        var banner = await session.ReadTextAsync(UiTarget.Of(patients.Locator), PixelFixture.Wait, None);
        var guarantor = await session.ReadTextAsync(UiTarget.Of(guarantors.Locator), PixelFixture.Wait, None);
        AssertOk(banner);
        AssertOk(guarantor);
        Assert.Equal(Shown.Date(patient.BirthDate), banner.Value);
        Assert.NotEqual(banner.Value, guarantor.Value);
        // The record number's label follows the bold name closely: it is offered alone, and finds the number.
        var mrn = Assert.Single(values, c => c.Locator.Value == "Med Rec #:");
        Assert.Equal(patient.Mrn, (await session.ReadTextAsync(UiTarget.Of(mrn.Locator), PixelFixture.Wait, None)).Value);
        foreach (var tab in new[] { "Pt Info", "Problems/Allergies", "Meds", "Health Maintenance", "Encounters" })
        {
            var candidate = Assert.Single(controls, c => c.Locator.Name == tab);
            Assert.Equal(new UiLocator(LocatorKind.Role, "tab", tab, Exact: true), candidate.Locator);
            Assert.True(await session.IsVisibleAsync(UiTarget.Of(candidate.Locator), None), tab);
        }
        Assert.Contains(controls, c => c.Locator.Name == "Log Off");
        Assert.DoesNotContain(controls, c => c.Fingerprint.Label.Contains(patient.LastName, StringComparison.OrdinalIgnoreCase) || c.Fingerprint.Label == "Male");
    }

    [Fact]
    public async Task CandidatesAsync_ClickWrittenBelowAColumnHeader_OffersTheRenamedColumnsFirstCells()
    {
        var chart = await RecordedChartAsync();
        var (session, _) = await OpenAsync("problems-v2.png");
        await using var _ = session;

        var candidates = await session.CandidatesAsync(UiElementKind.Control, new UiLocator(LocatorKind.Below, "Description"), None);

        var problem = Assert.Single(candidates, c => c.Locator == new UiLocator(LocatorKind.Below, "Problem"));
        Assert.Equal("Problem", problem.Fingerprint.Label);
        var read = await session.ReadTextAsync(UiTarget.Of(problem.Locator), PixelFixture.Wait, None);
        AssertOk(read);
        Assert.Contains(read.Value, chart.Problems.Select(x => x.Description));
        AssertHoldsNothingOf(chart, JsonSerializer.Serialize(candidates));
    }

    [Theory]
    [InlineData("chart-v1.png")]
    [InlineData("chart-v2.png")]
    [InlineData("login-v2.png")]
    [InlineData("problems-v1.png")]
    [InlineData("problems-v2.png")]
    public async Task CandidatesAsync_EveryKind_HoldNothingOfThePatient(string screen)
    {
        var chart = await RecordedChartAsync();
        var (session, _) = await OpenAsync(screen);
        await using var _ = session;
        var like = new UiLocator(LocatorKind.Text, "anything");

        var candidates = new List<UiCandidate>();
        foreach (var kind in Enum.GetValues<UiElementKind>())
        {
            candidates.AddRange(await session.CandidatesAsync(kind, like, None));
        }

        Assert.NotEmpty(candidates);
        AssertHoldsNothingOf(chart, JsonSerializer.Serialize(candidates));
    }
}
