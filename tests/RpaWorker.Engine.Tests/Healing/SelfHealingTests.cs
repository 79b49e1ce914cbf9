using RpaWorker.Engine.Healing;
using RpaWorker.Engine.Running;
using RpaWorker.Playbooks;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Tests.Healing;

public sealed class SelfHealingTests : IDisposable
{
    private const string Playbook = """
        playbook: test/heal
        version: 1.0.0
        driver: web
        steps:
          - id: chart
            extract:
              into: patient
              fields:
                mrn: { target: { right_of: "MRN:" } }
                # The patient's date of birth, from the banner.
                birth_date: { target: { right_of: "DOB:" }, parse: { date: "MM/dd/yyyy" } }
        emit:
          - resource: Patient
            key: "{{ patient.mrn }}"
            map:
              birthDate: "{{ patient.birth_date }}"
        """;

    private const string Banner = "body/table[0]/tbody[0]/tr[0]";

    private readonly string _folder = Directory.CreateTempSubdirectory("heal-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PlaybookFile => Path.Combine(_folder, "heal.yaml");

    private (PlaybookRunner Runner, SelfHealing Healing) CreateSut(HealStore? store = null)
    {
        if (!File.Exists(PlaybookFile))
        {
            File.WriteAllText(PlaybookFile, Playbook);
        }
        var loaded = PlaybookLoader.LoadFile(PlaybookFile);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        return (PlaybookRunner.Create(loaded.Playbook!), new SelfHealing(store ?? HealStore.Open(HealStore.DefaultPathFor(PlaybookFile))));
    }

    private static RunOptions Options(SelfHealing? healing) => new()
    {
        DefaultTimeout = TimeSpan.FromMilliseconds(50),
        DefaultBackoff = TimeSpan.FromMilliseconds(1),
        PollInterval = TimeSpan.FromMilliseconds(5),
        Healing = healing,
    };

    private static UiFingerprint Value(string label, string path, double y = 0.05, params string[] nearby) => new()
    {
        Kind = UiElementKind.Value, Role = "cell", Label = label, Path = path, X = 0.4, Y = y, Nearby = nearby,
    };

    /// <summary>The known-good screen: the run learns the fingerprints of MRN and DOB there.</summary>
    private static FakeSession V1()
    {
        var s = new FakeSession();
        s.Texts["MRN:"] = "1234567";
        s.Texts["DOB:"] = "03/14/1987";
        s.Prints["MRN:"] = Value("MRN:", Banner + "/td[3]", 0.05, "Patient:", "DOB:");
        s.Prints["DOB:"] = Value("DOB:", Banner + "/td[5]", 0.05, "Patient:", "MRN:");
        return s;
    }

    /// <summary>The upgraded screen: DOB is "D.O.B.:" now, with the guarantor's date of birth in the row under it.</summary>
    private static FakeSession V2(string patientLabel = "D.O.B.:", string patientDob = "03/14/1987")
    {
        var s = new FakeSession();
        s.Texts["MRN:"] = "1234567";
        s.Texts[patientLabel] = patientDob;
        s.Texts["Guarantor D.O.B.:"] = "07/01/1950";
        s.Candidates.Add(new UiCandidate(Value("MRN:", Banner + "/td[3]", 0.05, "Patient:", patientLabel), new UiLocator(LocatorKind.RightOf, "MRN:")));
        s.Candidates.Add(new UiCandidate(Value(patientLabel, Banner + "/td[5]", 0.05, "Patient:", "MRN:"), new UiLocator(LocatorKind.RightOf, patientLabel)));
        s.Candidates.Add(new UiCandidate(Value("Guarantor D.O.B.:", "body/table[0]/tbody[0]/tr[1]/td[5]", 0.08, "Guarantor:"),
            new UiLocator(LocatorKind.RightOf, "Guarantor D.O.B.:")));
        return s;
    }

    private async Task LearnOnV1Async()
    {
        var (runner, healing) = CreateSut();
        var result = await runner.RunAsync(V1(), Options(healing), CancellationToken.None);
        Assert.Equal(WorkItemStatus.Succeeded, Assert.Single(result.Items).Status);
    }

    private static string? BirthDate(RunResult result) =>
        Assert.Single(result.Items).Drafts.SingleOrDefault()?.Assignments.SingleOrDefault(a => a.Key == "birthDate").Value;

    [Fact]
    public async Task RunAsync_LabelRenamedAfterLearning_ReadsPatientsValueAndProposesEdit()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();

        var result = await runner.RunAsync(V2(), Options(healing), CancellationToken.None);

        Assert.Equal("1987-03-14", BirthDate(result));
        var proposal = Assert.Single(healing.Store.Proposals);
        Assert.Equal("right_of \"DOB:\"", proposal.Target);
        Assert.Equal(new UiLocator(LocatorKind.RightOf, "D.O.B.:"), proposal.Locator);
        Assert.Contains("-        birth_date: { target: { right_of: \"DOB:\" }", proposal.Diff(), StringComparison.Ordinal);
        Assert.Contains("+        birth_date: { target: { right_of: \"D.O.B.:\" }", proposal.Diff(), StringComparison.Ordinal);
        Assert.Equal(1, healing.HealedTargets);
    }

    [Fact]
    public async Task RunAsync_HealStoredByEarlierRun_IsReusedWithoutSearching()
    {
        await LearnOnV1Async();
        var (first, firstHealing) = CreateSut();
        await first.RunAsync(V2(), Options(firstHealing), CancellationToken.None);
        var (runner, healing) = CreateSut();
        var screen = V2();
        screen.Candidates.Clear();

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        Assert.Equal("1987-03-14", BirthDate(result));
        var reuse = Assert.Single(healing.Events);
        Assert.False(reuse.Found);
        Assert.Equal(2, Assert.Single(healing.Store.Proposals).Uses);
    }

    [Fact]
    public async Task RunAsync_GuarantorDobLabelledExactlyLikeOldOne_IsNotChosen()
    {
        await LearnOnV1Async();
        // The tempting case: the guarantor's date sits under a label written exactly as the playbook's, while the
        // patient's moved to a label with other words at the old place. Neither wins clearly, so nothing is healed.
        var screen = new FakeSession();
        screen.Texts["MRN:"] = "1234567";
        screen.Texts["Birth Date:"] = "03/14/1987";
        screen.Texts["Guarantor DOB:"] = "07/01/1950";
        screen.Candidates.Add(new UiCandidate(Value("Birth Date:", Banner + "/td[5]", 0.05, "Patient:", "MRN:"), new UiLocator(LocatorKind.RightOf, "Birth Date:")));
        screen.Candidates.Add(new UiCandidate(Value("DOB:", "body/table[0]/tbody[0]/tr[1]/td[5]", 0.25, "Guarantor:"), new UiLocator(LocatorKind.RightOf, "Guarantor DOB:")));
        var (runner, healing) = CreateSut();

        var result = await runner.RunAsync(screen, Options(healing), CancellationToken.None);

        Assert.Equal(WorkItemStatus.Failed, Assert.Single(result.Items).Status);
        Assert.Empty(Assert.Single(result.Items).Drafts);
        Assert.Empty(healing.Store.Proposals);
        Assert.Equal(1, healing.Missed);
    }

    [Fact]
    public async Task RunAsync_BestCandidateDoesNotParseAsTheFieldsType_IsNotUsed()
    {
        await LearnOnV1Async();
        var (runner, healing) = CreateSut();

        var result = await runner.RunAsync(V2(patientDob: "see chart"), Options(healing), CancellationToken.None);

        Assert.Equal(WorkItemStatus.Failed, Assert.Single(result.Items).Status);
        Assert.Empty(healing.Store.Proposals);
    }

    [Fact]
    public async Task RunAsync_AcceptedProposal_PlaybookReadsUpgradedScreenWithoutHealing()
    {
        await LearnOnV1Async();
        var (first, firstHealing) = CreateSut();
        await first.RunAsync(V2(), Options(firstHealing), CancellationToken.None);
        var proposal = Assert.Single(firstHealing.Store.Proposals);

        PlaybookPatch.Apply(proposal.Edits);
        firstHealing.Store.SetStatus(proposal.Id, HealStatus.Accepted);
        var (runner, healing) = CreateSut();
        var result = await runner.RunAsync(V2(), Options(healing), CancellationToken.None);

        Assert.Equal("1987-03-14", BirthDate(result));
        Assert.Empty(healing.Events);
        var text = File.ReadAllText(PlaybookFile);
        Assert.Contains("birth_date: { target: { right_of: \"D.O.B.:\" }, parse: { date: \"MM/dd/yyyy\" } }", text, StringComparison.Ordinal);
        Assert.Contains("# The patient's date of birth, from the banner.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StoredFingerprints_HoldNoScreenValues()
    {
        await LearnOnV1Async();

        var stored = File.ReadAllText(HealStore.DefaultPathFor(PlaybookFile));

        Assert.Contains("DOB:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("03/14/1987", stored, StringComparison.Ordinal);
    }
}
