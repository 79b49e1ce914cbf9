namespace RpaWorker.Cli.Tests.Commands;

public sealed class HealCommandTests : IDisposable
{
    private const string Playbook = """
        playbook: test/heal
        version: 1.0.0
        driver: web
        steps:
          - extract:
              into: patient
              fields:
                # From the banner.
                birth_date: { target: { right_of: "DOB:" }, parse: { date: "MM/dd/yyyy" } }

        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("heal-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PlaybookFile => Path.Combine(_folder, "chart.yaml");

    private string StoreFile => Path.Combine(_folder, "chart.heal.json");

    // A store as a run leaves it: one proposal to read DOB from the relabelled cell.
    private void CreateSut()
    {
        File.WriteAllText(PlaybookFile, Playbook);
        var file = PlaybookFile.Replace("\\", "\\\\", StringComparison.Ordinal);
        File.WriteAllText(StoreFile, $$"""
            {
              "fingerprints": {},
              "proposals": [
                {
                  "id": "h1a2b3c4d",
                  "playbook": "test/heal",
                  "version": "1.0.0",
                  "target": "right_of \"DOB:\"",
                  "sites": [ "steps[0].extract.birth_date" ],
                  "locator": { "kind": "RightOf", "value": "D.O.B.:", "exact": false },
                  "score": 0.88,
                  "runnerUp": 0.6,
                  "edits": [ { "file": "{{file}}", "line": 9, "column": 43, "old": "\"DOB:\"", "new": "\"D.O.B.:\"" } ],
                  "status": "Proposed",
                  "found": "2025-01-01T00:00:00+00:00",
                  "uses": 3
                }
              ]
            }
            """);
    }

    [Fact]
    public async Task List_ProposalInStoreBesidePlaybook_ShowsTargetAndReplacement()
    {
        CreateSut();

        var (exit, stdout, _) = await RpaProcess.RunAsync("heal", "list", PlaybookFile);

        Assert.Equal(0, exit);
        Assert.Contains("h1a2b3c4d", stdout, StringComparison.Ordinal);
        Assert.Contains("right_of \"DOB:\" -> RightOf \"D.O.B.:\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Proposal_PrintsUnifiedDiff()
    {
        CreateSut();

        var (exit, stdout, _) = await RpaProcess.RunAsync("heal", "show", PlaybookFile, "h1a2");

        Assert.Equal(0, exit);
        Assert.Contains("-        birth_date: { target: { right_of: \"DOB:\" }", stdout, StringComparison.Ordinal);
        Assert.Contains("+        birth_date: { target: { right_of: \"D.O.B.:\" }", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndShow_ProposalTheAiTierChose_SayWhoChoseIt()
    {
        CreateSut();
        File.WriteAllText(StoreFile, File.ReadAllText(StoreFile).Replace("\"status\": \"Proposed\"", "\"chosenBy\": \"ai\", \"status\": \"Proposed\"", StringComparison.Ordinal));

        var (listExit, list, _) = await RpaProcess.RunAsync("heal", "list", PlaybookFile);
        var (showExit, show, _) = await RpaProcess.RunAsync("heal", "show", PlaybookFile, "h1a2");

        Assert.Equal(0, listExit);
        Assert.Contains("chosen by the AI tier", list, StringComparison.Ordinal);
        Assert.Equal(0, showExit);
        Assert.Contains("chosen by: the AI tier", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_Proposal_EditsLocatorInPlaceAndKeepsComments()
    {
        CreateSut();

        var (exit, _, stderr) = await RpaProcess.RunAsync("heal", "accept", PlaybookFile, "h1a2b3c4d");

        Assert.True(exit == 0, stderr);
        var text = File.ReadAllText(PlaybookFile);
        Assert.Equal(Playbook.Replace("\"DOB:\"", "\"D.O.B.:\"", StringComparison.Ordinal), text);
        Assert.Contains("\"status\": \"Accepted\"", File.ReadAllText(StoreFile), StringComparison.Ordinal);
        var (validExit, _, _) = await RpaProcess.RunAsync("validate", PlaybookFile);
        Assert.Equal(0, validExit);
    }

    [Fact]
    public async Task Accept_PlaybookChangedSince_RefusesAndLeavesFile()
    {
        CreateSut();
        var changed = Playbook.Replace("\"DOB:\"", "\"Birth:\"", StringComparison.Ordinal);
        File.WriteAllText(PlaybookFile, changed);

        var (exit, _, stderr) = await RpaProcess.RunAsync("heal", "accept", PlaybookFile, "h1a2b3c4d");

        Assert.Equal(2, exit);
        Assert.Contains("no longer reads", stderr, StringComparison.Ordinal);
        Assert.Equal(changed, File.ReadAllText(PlaybookFile));
    }

    [Fact]
    public async Task Reject_Proposal_MarksItRejectedAndLeavesPlaybook()
    {
        CreateSut();

        var (exit, _, _) = await RpaProcess.RunAsync("heal", "reject", PlaybookFile, "h1a2b3c4d");

        Assert.Equal(0, exit);
        Assert.Equal(Playbook, File.ReadAllText(PlaybookFile));
        Assert.Contains("\"status\": \"Rejected\"", File.ReadAllText(StoreFile), StringComparison.Ordinal);
    }
}
