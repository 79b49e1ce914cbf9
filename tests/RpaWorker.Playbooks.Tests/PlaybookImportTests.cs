using RpaWorker.Playbooks.Model;

namespace RpaWorker.Playbooks.Tests;

/// <summary>Playbooks that take flows, concept maps and emits from shared files (<c>imports:</c>).</summary>
public sealed class PlaybookImportTests
{
    private static string Corpus(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Corpus", "imports", .. parts]);

    private static string Slashed(string path) => path.Replace('\\', '/');

    [Fact]
    public void LoadFile_PlaybookWithImports_MergesFlowsConceptMapsAndEmitsOfEveryImportedFile()
    {
        var result = PlaybookLoader.LoadFile(Corpus("playbook.yaml"));

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        var p = result.Playbook!;
        Assert.Equal(["open", "read_banner"], p.Flows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["sex", "status"], p.ConceptMaps.Keys.Order(StringComparer.Ordinal));
        // Imported emits first (each file after the files it imports), then the playbook's own.
        Assert.Equal(["Patient", "Condition"], p.Emit.Select(e => e.Resource));
        // What came from a shared file says so in its location, for errors at load and at run time.
        Assert.EndsWith("imports/shared/reading.yaml", Slashed(p.Flows["read_banner"].Location.File), StringComparison.Ordinal);
        Assert.Equal((4, 3), (p.Flows["read_banner"].Location.Line, p.Flows["read_banner"].Location.Column));
        Assert.EndsWith("imports/shared/codes.yaml", Slashed(p.ConceptMaps["sex"].Location.File), StringComparison.Ordinal);
        Assert.EndsWith("imports/shared/reading.yaml", Slashed(p.Emit[0].Location.File), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_NameDefinedInPlaybookAndImport_IsAnErrorAtTheSecondNamingTheFirst()
    {
        var path = Corpus("conflict.yaml");

        var result = PlaybookLoader.LoadFile(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 6, 3), (error.Location.File, error.Location.Line, error.Location.Column));
        Assert.Matches(@"^concept map 'sex' is already defined at .*imports/shared/codes\.yaml:2:3; a name is defined once", Slashed(error.Message));
    }

    [Fact]
    public void LoadFile_MissingImport_IsAnErrorAtTheImportNamingWhereItLooked()
    {
        var path = Corpus("missing.yaml");

        var result = PlaybookLoader.LoadFile(path);

        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 6, 5), (error.Location.File, error.Location.Line, error.Location.Column));
        Assert.StartsWith("imported file 'shared/nowhere.yaml' not found (looked for ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("imports/shared/nowhere.yaml)", Slashed(error.Message), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_ImportsInACycle_IsAnErrorAtTheImportThatClosesIt()
    {
        var result = PlaybookLoader.LoadFile(Corpus("cycle.yaml"));

        var error = Assert.Single(result.Errors);
        Assert.EndsWith("imports/cycle/second.yaml", Slashed(error.Location.File), StringComparison.Ordinal);
        Assert.Equal((1, 12), (error.Location.Line, error.Location.Column));
        Assert.Matches(@"^imports form a cycle: \S*imports/cycle/first\.yaml -> \S*imports/cycle/second\.yaml -> \S*imports/cycle/first\.yaml$", Slashed(error.Message));
    }

    [Fact]
    public void LoadFile_ImportedFileWithPlaybookOnlyKeysAndBadSteps_ReportsBothInThatFile()
    {
        var result = PlaybookLoader.LoadFile(Corpus("not-importable.yaml"));

        Assert.False(result.Ok);
        Assert.Collection(result.Errors,
            e =>
            {
                Assert.EndsWith("imports/shared/with-guards.yaml:1:1", Slashed(e.Location.ToString()), StringComparison.Ordinal);
                Assert.StartsWith("'guards' cannot be imported: an imported file holds only imports, flows, concept_maps, emit", e.Message, StringComparison.Ordinal);
            },
            e =>
            {
                Assert.EndsWith("imports/shared/with-guards.yaml:4:7", Slashed(e.Location.ToString()), StringComparison.Ordinal);
                Assert.StartsWith("unknown step 'clik'", e.Message, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void LoadFile_SharedFileOnItsOwn_IsCheckedAsSharedNotAsAPlaybook()
    {
        var result = PlaybookLoader.LoadFile(Corpus("shared", "reading.yaml"));

        Assert.True(result.IsShared);
        Assert.Empty(result.Errors);
        Assert.Null(result.Playbook);
        Assert.False(result.Ok);
    }

    [Fact]
    public void LoadText_SharedFileWithABrokenTemplate_ReportsItOnItsOwn()
    {
        const string yaml = """
            emit:
              - resource: Patient
                key: "{{ patient.mrn"
                map: { gender: male }
            """;

        var result = PlaybookLoader.LoadText("shared.yaml", yaml);

        Assert.True(result.IsShared);
        var error = Assert.Single(result.Errors);
        Assert.Equal("shared.yaml:2:5: template '{{ patient.mrn' has '{{' without a closing '}}'", error.ToString());
    }

    [Fact]
    public void LoadText_ImportReader_ResolvesPathsRelativeToThePlaybookWithoutTheFileSystem()
    {
        // As a tool that carries its playbooks as embedded resources reads them.
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["books/ehr/shared/codes.yaml"] = File.ReadAllText(Corpus("shared", "codes.yaml")),
        };
        const string yaml = """
            playbook: test/embedded
            version: 1.0.0
            driver: web
            imports: [ ../ehr/./shared/codes.yaml ]
            steps:
              - goto: "http://127.0.0.1/"
            """;
        var asked = new List<string>();

        var result = PlaybookLoader.LoadText("books/other/main.yaml", yaml, imports: path =>
        {
            asked.Add(path);
            return files.GetValueOrDefault(path);
        });

        Assert.True(result.Ok, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(["books/ehr/shared/codes.yaml"], asked);
        Assert.Equal("books/ehr/shared/codes.yaml", result.Playbook!.ConceptMaps["sex"].Location.File);
    }

    [Fact]
    public void LoadPaths_ShippedPlaybooksFolder_EveryPlaybookAndSharedFileIsValid()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "RpaWorker.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var results = PlaybookLoader.LoadPaths([Path.Combine(root, "playbooks")]);

        Assert.All(results, r => Assert.True(r.Errors.Count == 0, string.Join(Environment.NewLine, r.Errors)));
        Assert.Contains(results, r => r.Ok && r.Playbook!.Driver == DriverKind.Web);
        Assert.Contains(results, r => r.Ok && r.Playbook!.Driver == DriverKind.Atspi);
        Assert.Contains(results, r => r.IsShared);
    }
}
