using System.Text.RegularExpressions;
using RpaWorker.Playbooks.Model;

namespace RpaWorker.Playbooks.Tests;

public sealed partial class PlaybookLoaderTests
{
    private static string Corpus(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Corpus", .. parts]);

    public static TheoryData<string> BrokenFiles() =>
        [.. Directory.GetFiles(Corpus("broken"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void LoadFile_CompletePlaybook_LoadsWithNoErrorAndKeepsEveryPart()
    {
        var result = PlaybookLoader.LoadFile(Corpus("valid", "chart.yaml"));

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        var p = result.Playbook!;
        Assert.Equal("test/chart", p.Id);
        Assert.Equal(DriverKind.Web, p.Driver);
        Assert.Equal(["login", "open_chart"], p.Flows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["session_expired", "popup", "alert"], p.Handlers.Select(h => h.Name));
        Assert.Equal(ConditionKind.Visible, p.Handlers[1].When.Kind);
        var table = Assert.Single(p.Steps.OfType<ExtractTableStep>());
        Assert.Equal(["code", "display", "onset", "bp"], table.Columns.Select(c => c.Field));
        Assert.Equal(["MM/dd/yyyy", "MMM d ''yy"], table.Columns[2].Parse[0].Formats);
        Assert.Equal(50, table.Paginate!.MaxPages);
        Assert.Equal(TimeSpan.FromSeconds(30), table.Timeout);
        Assert.Equal(new RetryDefinition(3, TimeSpan.FromMilliseconds(500)), table.Retry);
        var password = p.Flows["login"].Steps.OfType<FillStep>().Single(f => f.Secret);
        Assert.Equal([TargetKind.Css, TargetKind.Label], password.Target.Alternatives.Select(a => a.Kind));
        Assert.True(p.Guards.ReadOnly);
        Assert.Equal("8517006", p.ConceptMaps["smoking"].Entries["former SMOKER"].Code);
        Assert.Equal(["Patient", "Condition"], p.Emit.Select(e => e.Resource));
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void LoadFile_BrokenPlaybook_ReportsEachExpectedErrorAtItsLineAndColumn(string name)
    {
        var path = Corpus("broken", name);
        var expected = File.ReadLines(path)
            .Select(l => ExpectPattern().Match(l))
            .Where(m => m.Success)
            .Select(m => (Line: int.Parse(m.Groups[1].Value), Column: int.Parse(m.Groups[2].Value), Text: m.Groups[3].Value.Trim()))
            .ToList();
        Assert.NotEmpty(expected);

        var result = PlaybookLoader.LoadFile(path);

        Assert.False(result.Ok);
        var actual = string.Join(Environment.NewLine, result.Errors);
        foreach (var (line, column, text) in expected)
        {
            Assert.True(result.Errors.Any(e => e.Location.Line == line && e.Location.Column == column && e.Message.Contains(text, StringComparison.Ordinal)),
                $"expected {name}:{line}:{column}: …{text}…\nactual:\n{actual}");
        }
        Assert.All(result.Errors, e => Assert.Equal(path, e.Location.File));
    }

    [Fact]
    public void ErrorToString_IsFileLineColumnMessage()
    {
        var result = PlaybookLoader.LoadText("flows/x.yaml", "playbook: a\nversion: 1.0.0\ndriver: web\nsteps:\n  - clik: x\n");

        Assert.Equal("flows/x.yaml:5:5: unknown step 'clik'; expected one of: goto, click, fill, select, press, wait, accept_dialog, reload, extract, " +
                     "extract_table, llm_extract, for_each, call, if, set, checkpoint, fail (did you mean 'click'?)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void LoadPaths_Folder_LoadsEveryYamlFileAndReportsMissingPaths()
    {
        var results = PlaybookLoader.LoadPaths([Corpus("valid"), Corpus("broken"), Corpus("nope.yaml")]);

        Assert.Equal(1 + Directory.GetFiles(Corpus("broken"), "*.yaml").Length + 1, results.Count);
        Assert.True(results[0].Ok);
        Assert.Contains("no such file or folder", Assert.Single(results[^1].Errors).Message);
    }

    [Fact]
    public void LoadText_ReadOnlyOff_AllowsProtectedControls()
    {
        const string yaml = """
            playbook: test/sign
            version: 1.0.0
            driver: web
            guards: { read_only: false }
            steps:
              - click: { role: button, name: Sign }
            """;

        Assert.True(PlaybookLoader.LoadText("sign.yaml", yaml).Ok);
    }

    [Theory]
    [InlineData("Sign In", null)]
    [InlineData("sign  on", null)]
    [InlineData("Sign Note", "sign")]
    [InlineData("Sign in and Sign Note", "sign")]
    [InlineData("Design", null)]
    [InlineData("Save & Close", "save")]
    public void FindProtectedWord_DefaultGuards_KnowsLoginPhrasesFromSigning(string text, string? expected) =>
        Assert.Equal(expected, new GuardsDefinition().FindProtectedWord(text));

    [GeneratedRegex(@"^# expect: (\d+):(\d+) (.+)$")]
    private static partial Regex ExpectPattern();
}
