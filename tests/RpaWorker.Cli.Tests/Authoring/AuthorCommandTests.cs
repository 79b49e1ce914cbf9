using System.Text.Json;
using RpaWorker.Ai;
using RpaWorker.Cli.Authoring;
using RpaWorker.Cli.Commands;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.Cli.Tests.Authoring;

/// <summary>
/// Author mode against the real mock EHR in a real browser, with a scripted model that decides from the screens it is
/// shown: the draft it leads to validates and, run by <c>rpa run</c> with no AI, publishes what the mock holds.
/// </summary>
[Collection("rpa processes")]
public sealed class AuthorCommandTests
{
    private const string Goal = "the patient's allergy list";

    private static readonly AiOptions ScriptedProvider = new() { Provider = "openai-compatible", Model = "scripted", Endpoint = "http://127.0.0.1:9/v1" };

    /// <summary>A generated patient with allergies, renamed to the canary values that must never reach a model not allowed PHI.</summary>
    private static (LegacyStore Store, string Mrn) CanaryStore()
    {
        var store = LegacyStore.InMemory();
        var charts = ChartGenerator.Generate(GeneratorCases.FirstOrdinaryIndex + 20, 5).ToList();
        var chosen = charts.Skip(GeneratorCases.FirstOrdinaryIndex).First(c => c.Allergies.Count >= 2);
        store.AddChart(chosen with { Patient = chosen.Patient with { Mrn = Canary.Mrn, LastName = Canary.Family.ToUpperInvariant(), FirstName = Canary.Given.ToUpperInvariant(), AddressLine = Canary.Street } });
        foreach (var other in charts.Where(c => c != chosen).Take(3))
        {
            store.AddChart(other);
        }
        return (store, Canary.Mrn);
    }

    private static AuthorSettings Settings(string ehr, string mrn, int maxSteps = 30) => new()
    {
        Goal = Goal,
        Ehr = ehr,
        Credentials = "mock-ehr",
        Secrets = new Dictionary<string, string> { ["username"] = Repo.MockEhrCredentials["RPA_SECRET_MOCK_EHR_USERNAME"], ["password"] = Repo.MockEhrCredentials["RPA_SECRET_MOCK_EHR_PASSWORD"] },
        Inputs = new Dictionary<string, string> { ["mrn"] = mrn },
        MaxSteps = maxSteps,
    };

    private static async Task<(int Exit, string Log, string Errors)> AuthorAsync(AuthorSettings settings, ScreenReadingModel model, string outPath, AiOptions? ai = null)
    {
        using var log = new StringWriter();
        using var errors = new StringWriter();
        var exit = await AuthorCommand.AuthorAsync(settings, ai ?? ScriptedProvider, model, outPath, log, errors, CancellationToken.None);
        return (exit, log.ToString(), errors.ToString());
    }

    /// <summary>A model playing <paramref name="policy"/>, and the notice each of its turns carried.</summary>
    private static (ScreenReadingModel Model, List<string?> Notices) Recording(Func<ScreenReadingModel.Turn, System.Text.Json.Nodes.JsonObject> policy)
    {
        var notices = new List<string?>();
        return (new ScreenReadingModel(turn =>
        {
            notices.Add(turn.Notice);
            return policy(turn);
        }), notices);
    }

    [Fact]
    public async Task Author_AllergyListWithScriptedModel_DraftValidatesAndRunsWithoutAiToTheMocksAllergies()
    {
        var (store, mrn) = CanaryStore();
        using var _ = store;
        var dir = Directory.CreateTempSubdirectory("rpa-author-").FullName;
        try
        {
            await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
            var address = ehr.BaseAddress.ToString().TrimEnd('/');
            var model = new ScreenReadingModel(ScreenReadingModel.Sensible);
            var draft = Path.Combine(dir, "allergies.yaml");

            var (exit, log, errors) = await AuthorAsync(Settings(address, mrn), model, draft);

            Assert.True(exit == 0, $"exit {exit}\n{log}\n{errors}\n{(File.Exists(draft) ? File.ReadAllText(draft) : "")}");
            var yaml = File.ReadAllText(draft);
            Assert.StartsWith("#", yaml, StringComparison.Ordinal);
            Assert.Contains("DRAFT", yaml, StringComparison.Ordinal);
            Assert.Contains("{{ secrets.password }}", yaml, StringComparison.Ordinal);
            // The draft is general: no sample patient, no credential in it.
            foreach (var canary in Canary.Values.Append(Repo.MockEhrCredentials["RPA_SECRET_MOCK_EHR_PASSWORD"]))
            {
                Assert.DoesNotContain(canary, yaml, StringComparison.OrdinalIgnoreCase);
            }
            // The model that may not see PHI never got the canary patient, nor the login.
            foreach (var secret in Canary.Values.Concat(Repo.MockEhrCredentials.Values))
            {
                Assert.DoesNotContain(secret, model.Sent, StringComparison.OrdinalIgnoreCase);
            }

            var (validateExit, validateOut, validateErr) = await RpaProcess.RunAsync("validate", draft);
            Assert.True(validateExit == 0, $"{validateOut}\n{validateErr}\n{yaml}");

            var output = Path.Combine(dir, "fhir");
            var (runExit, runOut, runErr) = await RpaProcess.RunAsync(Repo.MockEhrCredentials, "run", draft, "--ehr", address, "--input", "mrn=" + mrn, "--out", output);
            Assert.True(runExit == 0, $"exit {runExit}\n{runOut}\n{runErr}\n{yaml}\n{log}");
            GroundTruthExporter.Export(store, Path.Combine(dir, "truth"));
            var truth = Allergies(Path.Combine(dir, "truth"), mrn);
            Assert.NotEmpty(truth);
            var published = Allergies(output, mrn);
            Assert.True(truth.SequenceEqual(published), $"published:\n{string.Join("\n", published)}\n{runOut}\n{yaml}\n{log}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Author_ModelProposesSign_GuardRefusesAndTellsTheModelWhy()
    {
        var (store, mrn) = CanaryStore();
        using var _ = store;
        await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
        var (model, notices) = Recording(turn => turn.Number == 1 ? ScreenReadingModel.Act("click", "Sign") : ScreenReadingModel.Act("give_up"));

        var (exit, log, errors) = await AuthorAsync(Settings(ehr.BaseAddress.ToString(), mrn), model, Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.yaml"));

        Assert.Equal(ExitCodes.PartialFailure, exit);
        Assert.Contains("refused by the read-only guard", log, StringComparison.Ordinal);
        Assert.Equal(2, notices.Count);
        Assert.Null(notices[0]);
        Assert.Contains("refused by the read-only guard", notices[1], StringComparison.Ordinal);
        Assert.Contains("\"sign\"", notices[1], StringComparison.Ordinal);
        Assert.Contains("the model gave up", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_ModelRepeatsAnActionThatChangesNothing_LoopDetectionStopsIt()
    {
        var (store, mrn) = CanaryStore();
        using var _ = store;
        await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
        var (model, notices) = Recording(turn => ScreenReadingModel.Act("fill", turn.Field("Username:")!, "${secrets.username}"));
        var outPath = Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.yaml");

        var (exit, _, errors) = await AuthorAsync(Settings(ehr.BaseAddress.ToString(), mrn), model, outPath);

        Assert.Equal(ExitCodes.PartialFailure, exit);
        Assert.Contains("loop detected", errors, StringComparison.Ordinal);
        Assert.Contains("no draft written", errors, StringComparison.Ordinal);
        Assert.Equal(3, notices.Count);
        Assert.Contains("loop", notices[2], StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public async Task Author_StepBudgetSpentBeforeTheGoal_StopsWithExitOneAndSaysSo()
    {
        var (store, mrn) = CanaryStore();
        using var _ = store;
        await using var ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());
        var model = new ScreenReadingModel(ScreenReadingModel.Sensible);

        var (exit, _, errors) = await AuthorAsync(Settings(ehr.BaseAddress.ToString(), mrn, maxSteps: 4), model, Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.yaml"));

        Assert.Equal(ExitCodes.PartialFailure, exit);
        Assert.Contains("the step budget of 4 action(s) (--max-steps) was spent", errors, StringComparison.Ordinal);
        Assert.Equal(4, model.Requests.Count);
    }

    [Fact]
    public async Task Author_NoProviderConfigured_ExitsTwoSayingAuthorModeNeedsOne()
    {
        var (exit, _, stderr) = await RpaProcess.RunAsync("author", "--goal", Goal, "--ehr", "http://127.0.0.1:9");

        Assert.Equal(2, exit);
        Assert.Contains("author mode needs an AI provider", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_DesktopDriver_ExitsTwoSayingOnlyWebIsSupported()
    {
        var (exit, _, stderr) = await RpaProcess.RunAsync("author", "--goal", Goal, "--ehr", "atspi://meddesk", "--driver", "atspi");

        Assert.Equal(2, exit);
        Assert.Contains("web EHRs only", stderr, StringComparison.Ordinal);
    }

    /// <summary>Each AllergyIntolerance of the patient as what the screens show of it, in a stable order.</summary>
    private static List<string> Allergies(string directory, string mrn)
    {
        var patients = Read(Path.Combine(directory, "Patient.ndjson"))
            .Where(p => p.GetProperty("identifier").EnumerateArray().Any(i => i.GetProperty("value").GetString() == mrn))
            .Select(p => "Patient/" + p.GetProperty("id").GetString()).ToHashSet();
        return Read(Path.Combine(directory, "AllergyIntolerance.ndjson"))
            .Where(a => patients.Count == 0 || patients.Contains(a.GetProperty("patient").GetProperty("reference").GetString()!))
            .Select(a => string.Join(" | ",
                At(a, "code", "coding", 0, "system"), At(a, "code", "coding", 0, "code"), At(a, "code", "coding", 0, "display"),
                At(a, "clinicalStatus", "coding", 0, "code"), At(a, "criticality"), At(a, "category", 0),
                At(a, "recordedDate") is { Length: >= 10 } d ? d[..10] : "", At(a, "reaction", 0, "manifestation", 0, "text")))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static List<JsonElement> Read(string file) =>
        File.Exists(file) ? File.ReadLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList() : [];

    private static string? At(JsonElement e, params object[] steps)
    {
        foreach (var step in steps)
        {
            if (step is string name ? !(e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out e))
                : !(e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > (int)step && (e = e[(int)step]).ValueKind != JsonValueKind.Undefined))
            {
                return null;
            }
        }
        return e.ValueKind == JsonValueKind.String ? e.GetString() : e.ToString();
    }
}
