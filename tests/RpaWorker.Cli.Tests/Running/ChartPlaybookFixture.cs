using System.Text.Json;
using RpaWorker.Drivers.Web;
using RpaWorker.Engine.Running;
using RpaWorker.Fhir;
using RpaWorker.Host.Extraction;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using RpaWorker.Publishing;
using RpaWorker.Ui;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>One browser and one US Core validator for the chart playbook tests (both are slow to start).</summary>
public sealed class ChartPlaybookFixture : IAsyncLifetime
{
    public WebUiDriver Driver { get; private set; } = null!;

    public UsCoreValidator Validator { get; private set; } = null!;

    public PlaybookDefinition Chart { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "RpaWorker.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }
        var loaded = PlaybookLoader.LoadFile(Path.Combine(root, "playbooks", "mock-ehr", "chart.yaml"));
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Chart = loaded.Playbook!;
        var package = UsCorePackage.Find(null) ?? throw new FileNotFoundException("The US Core 6.1.0 package was not found (../shared/data/us-core).");
        Validator = new UsCoreValidator(package);
        Driver = await WebUiDriver.LaunchAsync(new WebDriverOptions(), CancellationToken.None);
    }

    public async Task DisposeAsync() => await Driver.DisposeAsync();

    /// <summary>Runs the chart playbook over every patient of <paramref name="store"/> served by a mock EHR with <paramref name="options"/>.</summary>
    public async Task<ChartRun> RunAsync(LegacyStore store, MockEhrOptions options, TimeProvider? mockClock = null,
        Action<string>? onStep = null, PlaybookDefinition? playbook = null)
    {
        var dir = Directory.CreateTempSubdirectory("rpa-chart-").FullName;
        await using var ehr = await MockEhrServer.StartAsync(store, options, timeProvider: mockClock);
        GroundTruthExporter.Export(store, Path.Combine(dir, "truth"));
        await using var sink = new NdjsonSink(Path.Combine(dir, "fhir"));
        var pipeline = new ExtractionPipeline(sink, Validator,
            new PipelineSettings("urn:rpaworker:ehr:mock-ehr", Chart.Id, Chart.Version, "RpaWorker tests", Path.Combine(dir, "fhir", "quarantine")),
            TimeProvider.System);
        await using var session = await Driver.OpenSessionAsync(new UiSessionOptions(), CancellationToken.None);
        var result = await PlaybookRunner.Create(playbook ?? Chart).RunAsync(session, new RunOptions
        {
            Inputs = new Dictionary<string, string> { ["base_url"] = ehr.BaseAddress.ToString().TrimEnd('/') },
            Secrets = new Dictionary<string, string> { ["username"] = options.UserName, ["password"] = options.Password },
            ResourceId = (type, key) => ResourceIds.For("urn:rpaworker:ehr:mock-ehr", type, key),
            OnItemFinished = async (item, ct) => await pipeline.OnItemFinishedAsync(item, ct),
            OnStepFinished = (id, _, _) => onStep?.Invoke(id),
        }, CancellationToken.None);
        return new ChartRun(dir, result, pipeline);
    }
}

/// <summary>What a chart run produced, and the mock's ground truth to compare it with.</summary>
public sealed record ChartRun(string Directory, RunResult Result, object PipelineState) : IDisposable
{
    internal ExtractionPipeline Pipeline => (ExtractionPipeline)PipelineState;

    internal IReadOnlyList<JsonElement> Output(string type) => Read(Path.Combine(Directory, "fhir", type + ".ndjson"));

    internal IReadOnlyList<JsonElement> Truth(string type) => Read(Path.Combine(Directory, "truth", type + ".ndjson"));

    internal string Failures => string.Join("\n", Result.Items.Where(i => i.Status == WorkItemStatus.Failed).Select(i => $"#{i.Index}: {i.Failure}")) +
                              (Result.Failure is null ? "" : $"\nrun: {Result.Failure}") +
                              (Pipeline.QuarantinedTotal > 0 ? "\nquarantine:\n" + File.ReadAllText(Pipeline.QuarantineFile) : "");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static List<JsonElement> Read(string file) =>
        File.Exists(file) ? File.ReadLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList() : [];
}
