using System.Globalization;
using System.Text.Json.Nodes;
using RpaWorker.Ai.Tests.Fakes;

namespace RpaWorker.Cli.Tests.Commands;

/// <summary>
/// <c>rpa run</c> with the LLM tier over real HTTP: the reference chart playbook with the banner's date of birth written
/// as an <c>ai:</c> target, a stub OpenAI-compatible server standing in for the model.
/// </summary>
[Collection("rpa processes")]
public sealed class RunAiTests : IAsyncLifetime
{
    private const string AiBirthDate = "birth_date: { target: { ai: \"the patient's date of birth in the banner\" }";

    private readonly string _folder = Directory.CreateTempSubdirectory("rpa-ai-").FullName;
    private StubOpenAiServer _model = null!;

    public async Task InitializeAsync() => _model = await StubOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The chart playbook and its shared file, copied, with the date of birth found by the AI tier.</summary>
    private string AiPlaybook()
    {
        var source = Path.GetDirectoryName(Repo.ChartPlaybook)!;
        Directory.CreateDirectory(Path.Combine(_folder, "playbook", "shared"));
        var chart = Path.Combine(_folder, "playbook", "chart.yaml");
        File.Copy(Repo.ChartPlaybook, chart);
        var sections = File.ReadAllText(Path.Combine(source, "shared", "chart-sections.yaml"));
        var written = sections.Replace("birth_date: { target: { right_of: \"DOB:\" }", AiBirthDate, StringComparison.Ordinal);
        Assert.NotEqual(sections, written);
        File.WriteAllText(Path.Combine(_folder, "playbook", "shared", "chart-sections.yaml"), written);
        return chart;
    }

    /// <summary>A model that picks the banner cell labelled "DOB:" among the candidates it is sent.</summary>
    private static StubReply PickDob(JsonNode request)
    {
        var payload = JsonNode.Parse(request["messages"]![1]!["content"]!.GetValue<string>())!;
        var candidates = payload["candidates"]!.AsArray();
        var dob = candidates.First(c => c!["label"]?.GetValue<string>() == "DOB:")!;
        return StubReply.Json(new JsonObject { ["index"] = dob["index"]!.GetValue<int>(), ["role"] = dob["role"]!.GetValue<string>(), ["confidence"] = 0.92 }.ToJsonString());
    }

    [Fact]
    public async Task Run_AiTargetOnAProviderNotAllowedPhi_PublishesTheDateAndSendsNoCanary()
    {
        _model.Answering(PickDob);
        var data = Canary.BundleFolder();
        var output = Path.Combine(_folder, "out");
        var config = Path.Combine(_folder, "ai.json");
        File.WriteAllText(config, $$"""
            { "Ai": { "Provider": "openai-compatible", "Endpoint": "{{_model.V1}}", "Model": "stub-model", "AllowPhi": false,
                      "Budget": { "PricePer1kInputTokens": 0.5, "PricePer1kOutputTokens": 1.5 } } }
            """);
        try
        {
            await using var ehr = RpaProcess.Start("mock-ehr", "--data", data, "--port", "0");
            var address = await ehr.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

            var (exit, stdout, stderr) = await RpaProcess.RunAsync(Repo.MockEhrCredentials,
                "run", AiPlaybook(), "--ehr", address, "--out", output, "--ai-config", config, "--step-timeout", "60s");

            Assert.True(exit == 0, $"exit {exit}:\n{stdout}\n{stderr}");
            var patient = JsonNode.Parse(File.ReadAllLines(Path.Combine(output, "Patient.ndjson")).Single())!;
            var birthDate = patient["birthDate"]?.GetValue<string>();
            Assert.NotNull(birthDate);
            // The stub's usage: 321 prompt and 12 completion tokens a call.
            Assert.True(stdout.Contains("AI: 1 call(s), 333 tokens (321 in, 12 out), cost 0.1785 USD", StringComparison.Ordinal),
                $"the summary does not count one call of the stub's usage:\n{stdout}\n{stderr}");
            var request = Assert.Single(_model.Requests);
            var shown = DateOnly.ParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MM/dd/yyyy", CultureInfo.InvariantCulture);
            foreach (var canary in Canary.Values.Append(shown).Append(birthDate))
            {
                Assert.DoesNotContain(canary, request.Body, StringComparison.OrdinalIgnoreCase);
            }
            Assert.Contains("<date>", request.Body, StringComparison.Ordinal);
            Assert.Contains("heal: healed", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Run_AiSettingsIncomplete_ExitsTwoNamingTheKeys()
    {
        var environment = new Dictionary<string, string>(Repo.MockEhrCredentials)
        {
            ["RPA_Ai__Provider"] = "openai-compatible",
            ["RPA_Ai__MinConfidence"] = "1.5",
        };

        var (exit, stdout, stderr) = await RpaProcess.RunAsync(environment, "run", Repo.ChartPlaybook, "--ehr", "http://127.0.0.1:9", "--out", Path.Combine(_folder, "out"));

        Assert.True(exit == 2, $"exit {exit}:\n{stdout}\n{stderr}");
        Assert.Contains("Ai:Model is required", stderr, StringComparison.Ordinal);
        Assert.Contains("Ai:Endpoint is required", stderr, StringComparison.Ordinal);
        Assert.Contains("Ai:MinConfidence 1.5 is not between 0 and 1", stderr, StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
    }
}
