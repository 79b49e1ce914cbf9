using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RpaWorker.Ai;
using RpaWorker.Engine.Healing;
using RpaWorker.Engine.Running;
using RpaWorker.Playbooks;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Tests.Healing;

/// <summary>
/// The LLM tier where targets resolve: <c>ai:</c> targets chosen by a scripted model among the screen's candidates,
/// every choice tried on the screen before use, the run's budget, PHI masking, and the self-healing fallback when the
/// scorer has no clear winner.
/// </summary>
public sealed class AiTierTests : IDisposable
{
    private const string Mrn = "7345912";
    private const string PatientName = "QUARTERMAINE, ZEBULON";
    private const string PatientDob = "03/14/1987";
    private const string GuarantorDob = "07/01/1950";

    /// <summary>The chart read: MRN_TARGET and DOB_TARGET are filled in by each test.</summary>
    private const string Playbook = """
        playbook: test/PLAYBOOK_ID
        version: 1.0.0
        driver: web
        steps:
          - id: chart
            extract:
              into: patient
              fields:
                mrn: { target: MRN_TARGET }
                name: { target: { right_of: "Patient:" } }
                birth_date: { target: DOB_TARGET, parse: { date: "MM/dd/yyyy" } }
        emit:
          - resource: Patient
            key: "{{ patient.mrn }}"
            map:
              birthDate: "{{ patient.birth_date }}"
        """;

    private const string Banner = "body/table[0]/tbody[0]/tr[0]";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly string _folder = Directory.CreateTempSubdirectory("ai-tier-").FullName;

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private PlaybookRunner CreateSut(string yaml, string file = "ai.yaml")
    {
        var path = Path.Combine(_folder, file);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, yaml);
        }
        var loaded = PlaybookLoader.LoadFile(path);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        return PlaybookRunner.Create(loaded.Playbook!);
    }

    private IScreenAssistant Assistant(ChoiceChat chat, Action<AiOptions>? configure = null)
    {
        var options = new AiOptions { Provider = "openai-compatible", Endpoint = "http://127.0.0.1:9/v1", Model = "test-model", AllowPhi = true };
        configure?.Invoke(options);
        return AiTier.Create(options, chat, "scripted", TimeProvider.System, _services.GetRequiredService<IMeterFactory>()).BeginRun("run-1");
    }

    private static RunOptions Options(IScreenAssistant? assistant, SelfHealing? healing = null) => new()
    {
        Assistant = assistant,
        Healing = healing,
        DefaultTimeout = TimeSpan.FromMilliseconds(200),
        DefaultBackoff = TimeSpan.FromMilliseconds(1),
        PollInterval = TimeSpan.FromMilliseconds(5),
        Inputs = new Dictionary<string, string>(),
    };

    private static UiFingerprint Value(string label, string path, double y, params string[] nearby) => new()
    {
        Kind = UiElementKind.Value, Role = "cell", Label = label, Path = path, X = 0.4, Y = y, Nearby = nearby,
    };

    /// <summary>The banner (name, MRN, date of birth) and, under it, the guarantor's date of birth: two dates the model must tell apart.</summary>
    private static FakeSession Screen()
    {
        var s = Banner3("D.O.B.:", "Guarantor D.O.B.:");
        s.Candidates.Add(new UiCandidate(Value("Patient:", Banner + "/td[1]", 0.05, "MRN:", "D.O.B.:"), new UiLocator(LocatorKind.RightOf, "Patient:")));
        s.Candidates.Add(new UiCandidate(Value("MRN:", Banner + "/td[3]", 0.05, "Patient:", "D.O.B.:"), new UiLocator(LocatorKind.RightOf, "MRN:")));
        s.Candidates.Add(new UiCandidate(Value("D.O.B.:", Banner + "/td[5]", 0.05, "Patient:", "MRN:"), new UiLocator(LocatorKind.RightOf, "D.O.B.:")));
        s.Candidates.Add(new UiCandidate(Value("Guarantor D.O.B.:", "body/table[0]/tbody[0]/tr[1]/td[5]", 0.08, "Guarantor:"),
            new UiLocator(LocatorKind.RightOf, "Guarantor D.O.B.:")));
        return s;
    }

    private static string Yaml(string mrnTarget = "{ right_of: \"MRN:\" }", string dobTarget = "{ ai: \"the patient's date of birth in the banner\" }",
        string id = "ai") => Playbook
        .Replace("PLAYBOOK_ID", id, StringComparison.Ordinal)
        .Replace("MRN_TARGET", mrnTarget, StringComparison.Ordinal)
        .Replace("DOB_TARGET", dobTarget, StringComparison.Ordinal);

    private static string HealPlaybook => Yaml(dobTarget: "{ right_of: \"DOB:\" }", id: "ai-heal");

    private static string? BirthDate(RunResult result) =>
        Assert.Single(result.Items).Drafts.SingleOrDefault()?.Assignments.SingleOrDefault(a => a.Key == "birthDate").Value;

    [Fact]
    public async Task RunAsync_AiTargetTheModelResolves_PublishesTheChosenValue()
    {
        var chat = ChoiceChat.Picking("label", "D.O.B.:");
        var assistant = Assistant(chat);

        var result = await CreateSut(Yaml()).RunAsync(Screen(), Options(assistant), CancellationToken.None);

        Assert.True(Assert.Single(result.Items).Status == WorkItemStatus.Succeeded, result.Items[0].Failure?.ToString());
        Assert.Equal("1987-03-14", BirthDate(result));
        Assert.Single(chat.Requests);
        Assert.Equal(1, assistant.Usage.Calls);
    }

    [Fact]
    public async Task RunAsync_AiTargetOnTheNextPatientsSameScreen_AsksNoMore()
    {
        var chat = ChoiceChat.Picking("label", "D.O.B.:");
        var assistant = Assistant(chat);
        var yaml = """
            playbook: test/ai-list
            version: 1.0.0
            driver: web
            steps:
              - extract_table: { into: patients, target: { css: "#list" }, columns: { MRN: mrn } }
              - for_each:
                  in: patients
                  as: p
                  work_item: true
                  do:
                    - id: chart
                      extract:
                        into: patient
                        fields:
                          birth_date: { target: { ai: "the patient's date of birth in the banner" }, parse: { date: "MM/dd/yyyy" } }
            emit:
              - resource: Patient
                key: "{{ p.mrn }}"
                map:
                  birthDate: "{{ patient.birth_date }}"
            """;
        var screen = Screen();
        screen.Tables["#list"] = [new UiTable(["MRN"], [["1111111"], ["2222222"], ["3333333"]])];

        var result = await CreateSut(yaml, "list.yaml").RunAsync(screen, Options(assistant), CancellationToken.None);

        Assert.Equal(3, result.Succeeded);
        Assert.Single(chat.Requests);
    }

    [Fact]
    public async Task RunAsync_ModelPicksAValueThatIsNotADate_IsNotUsedAndTheStepFails()
    {
        // A model that lost its way: the MRN cell is no date of birth, and the check on the screen catches it.
        var chat = ChoiceChat.Picking("label", "MRN:");

        var result = await CreateSut(Yaml()).RunAsync(Screen(), Options(Assistant(chat)), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Empty(item.Drafts);
        Assert.Contains("target not found", item.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("did not pass the check on the screen", item.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Mrn, item.Failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BudgetSpentOnAnEarlierTarget_FailsAsTargetNotFoundSayingSoWithoutAnotherCall()
    {
        var chat = ChoiceChat.Picking("label", "MRN:");
        var assistant = Assistant(chat, o => o.Budget.MaxCallsPerRun = 1);

        var result = await CreateSut(Yaml("{ ai: \"the medical record number\" }")).RunAsync(Screen(), Options(assistant), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("target not found", item.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("the run's AI budget is spent: 1 of 1 calls used (Ai:Budget:MaxCallsPerRun)", item.Failure.Reason, StringComparison.Ordinal);
        Assert.Single(chat.Requests);
        Assert.Equal(1, assistant.Usage.BudgetRefusals);
    }

    [Fact]
    public async Task RunAsync_NoAssistant_AiTargetFailsSayingTheTierIsOff()
    {
        var result = await CreateSut(Yaml()).RunAsync(Screen(), Options(null, new SelfHealing(HealStore.Open(Path.Combine(_folder, "h.json")))), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("target not found", item.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("no AI provider is configured", item.Failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_ProviderAllowedPhiOrNot_ScreenValuesReachItOnlyWhenAllowed(bool allowPhi)
    {
        var chat = ChoiceChat.Picking("label", "D.O.B.:");

        var result = await CreateSut(Yaml()).RunAsync(Screen(), Options(Assistant(chat, o => o.AllowPhi = allowPhi)), CancellationToken.None);

        Assert.Equal("1987-03-14", BirthDate(result));
        var request = Assert.Single(chat.Requests);
        foreach (var canary in new[] { Mrn, PatientName, PatientDob, GuarantorDob })
        {
            Assert.Equal(allowPhi, request.Contains(canary, StringComparison.Ordinal));
        }
    }

    /// <summary>A screen that shows the patient's name, MRN and date of birth, and the guarantor's date of birth when labelled.</summary>
    private static FakeSession Banner3(string dobLabel, string? guarantorLabel = null)
    {
        var s = new FakeSession();
        s.Texts["Patient:"] = PatientName;
        s.Texts["MRN:"] = Mrn;
        s.Texts[dobLabel] = PatientDob;
        if (guarantorLabel is not null)
        {
            s.Texts[guarantorLabel] = GuarantorDob;
        }
        return s;
    }

    private static FakeSession V1()
    {
        var s = Banner3("DOB:");
        s.Prints["MRN:"] = Value("MRN:", Banner + "/td[3]", 0.05, "Patient:", "DOB:");
        s.Prints["DOB:"] = Value("DOB:", Banner + "/td[5]", 0.05, "Patient:", "MRN:");
        return s;
    }

    /// <summary>
    /// After the upgrade "DOB:" is gone and two cells look alike to the scorer (same label, same place in a repeated
    /// block): the patient's and the guarantor's. Only what they show tells them apart.
    /// </summary>
    private static FakeSession V2()
    {
        var s = Banner3("Birth:", "Guarantor Birth:");
        s.Candidates.Add(new UiCandidate(Value("MRN:", Banner + "/td[3]", 0.05, "Patient:", "Birth:"), new UiLocator(LocatorKind.RightOf, "MRN:")));
        s.Candidates.Add(new UiCandidate(Value("Birth:", Banner + "/td[5]", 0.05, "Patient:", "MRN:"), new UiLocator(LocatorKind.RightOf, "Guarantor Birth:")));
        s.Candidates.Add(new UiCandidate(Value("Birth:", Banner + "/td[5]", 0.05, "Patient:", "MRN:"), new UiLocator(LocatorKind.RightOf, "Birth:")));
        return s;
    }

    private SelfHealing Healing() => new(HealStore.Open(Path.Combine(_folder, "heal.heal.json")));

    [Fact]
    public async Task RunAsync_ScorerHasNoClearWinner_AiChoiceIsProposedAndTheNextRunReusesItWithoutACall()
    {
        var runner = CreateSut(HealPlaybook, "heal.yaml");
        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single((await runner.RunAsync(V1(), Options(null, Healing()), CancellationToken.None)).Items).Status);
        var chat = ChoiceChat.Picking("value", PatientDob);
        var healing = Healing();

        var first = await runner.RunAsync(V2(), Options(Assistant(chat), healing), CancellationToken.None);

        Assert.Equal("1987-03-14", BirthDate(first));
        Assert.Single(chat.Requests);
        var proposal = Assert.Single(healing.Store.Proposals);
        Assert.Equal(HealProposal.ByAi, proposal.ChosenBy);
        Assert.Equal(new UiLocator(LocatorKind.RightOf, "Birth:"), proposal.Locator);
        Assert.Contains(healing.Events, e => e.Found && e.ByAi && e.ToString().Contains("chosen by the AI tier", StringComparison.Ordinal));

        var again = new ChoiceChat(_ => throw new InvalidOperationException("no question is expected once the heal is stored"));
        var second = await runner.RunAsync(V2(), Options(Assistant(again), Healing()), CancellationToken.None);

        Assert.Equal("1987-03-14", BirthDate(second));
        Assert.Empty(again.Requests);
    }

    [Fact]
    public async Task RunAsync_ScorerHasNoClearWinnerAndNoAssistant_NothingIsHealed()
    {
        var runner = CreateSut(HealPlaybook, "heal.yaml");
        await runner.RunAsync(V1(), Options(null, Healing()), CancellationToken.None);
        var healing = Healing();

        var result = await runner.RunAsync(V2(), Options(null, healing), CancellationToken.None);

        Assert.Equal(WorkItemStatus.Failed, Assert.Single(result.Items).Status);
        Assert.Empty(healing.Store.Proposals);
        Assert.Equal(1, healing.Missed);
    }

    private const string TriagePlaybook = """
        playbook: test/triage
        version: 1.0.0
        driver: web
        on:
          session_expired:
            when: { text: "Your session has expired" }
            do: [ { click: { css: "#relogin" } } ]
        steps:
          - id: chart
            extract:
              into: patient
              fields:
                mrn: { target: { right_of: "MRN:" } }
        emit:
          - resource: Patient
            key: "{{ patient.mrn }}"
            map:
              identifier[0].value: "{{ patient.mrn }}"
        """;

    /// <summary>The session ended with a notice in words the handler's condition does not know; signing in again brings the chart back.</summary>
    private static FakeSession TimedOut()
    {
        var s = new FakeSession { ScreenText = "Session timed out. Sign in again." };
        s.Candidates.Add(new UiCandidate(new UiFingerprint { Kind = UiElementKind.Control, Role = "button", Label = "Sign in again" },
            new UiLocator(LocatorKind.Css, "#relogin")));
        s.OnClick["#relogin"] = () =>
        {
            s.ScreenText = "";
            s.Texts["MRN:"] = Mrn;
        };
        return s;
    }

    [Fact]
    public async Task RunAsync_ScreenNoHandlerRecognises_AiNamesTheHandlerAndTheStepRunsAgain()
    {
        var chat = new ChoiceChat(_ => -1).Classifying("session_expired", "session_expired");
        var screen = TimedOut();

        var result = await CreateSut(TriagePlaybook, "triage.yaml").RunAsync(screen, Options(Assistant(chat)), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.True(item.Status == WorkItemStatus.Succeeded, item.Failure?.ToString());
        Assert.Equal(1, item.HandlerRuns["session_expired"]);
        Assert.Contains("click #relogin", screen.Actions);
        Assert.Single(chat.Requests);
    }

    [Fact]
    public async Task RunAsync_ScreenTheModelCannotPlace_FailsAsBeforeWithoutRunningAHandler()
    {
        var chat = new ChoiceChat(_ => -1).Classifying("unknown", "none");
        var screen = TimedOut();

        var result = await CreateSut(TriagePlaybook, "triage.yaml").RunAsync(screen, Options(Assistant(chat)), CancellationToken.None);

        var item = Assert.Single(result.Items);
        Assert.Equal(WorkItemStatus.Failed, item.Status);
        Assert.Contains("target not found", item.Failure!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("click #relogin", screen.Actions);
        Assert.Single(chat.Requests);
    }
}
