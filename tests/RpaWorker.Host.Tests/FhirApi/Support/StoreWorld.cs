using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RpaWorker.Host.FhirApi;
using RpaWorker.Publishing;

namespace RpaWorker.Host.Tests.FhirApi.Support;

/// <summary>
/// A worker's store side in a temp folder: the SQLite store and the change feed that playbook runs publish into (in
/// that order), a StoreConnector over them, and a fake EHR extraction that republishes a chart on demand. Its clock
/// is a FakeTimeProvider that starts at the real time, so that times it stamps compare with a real clock.
/// </summary>
internal sealed class StoreWorld : IAsyncDisposable
{
    private StoreWorld(string folder, FakeTimeProvider clock, int feedCapacity, Action<StoreConnectorOptions>? configure, IReadOnlyList<Chart> ehr)
    {
        Folder = folder;
        Clock = clock;
        Store = new SqliteSink(Path.Combine(folder, "store", "local.db"), clock);
        Feed = new ResourceChangeFeed(feedCapacity);
        Extraction = new FakePatientExtraction(ehr, this);
        var options = new StoreConnectorOptions { PatientIdentifierSystem = ImportedCharts.MrnSystem, MinExtractionInterval = TimeSpan.FromMinutes(1) };
        configure?.Invoke(options);
        Connector = new StoreConnector(Store, Feed, Options.Create(options), clock, Extraction);
    }

    public string Folder { get; }

    public string ExportFolder => Path.Combine(Folder, "exports");

    public FakeTimeProvider Clock { get; }

    public SqliteSink Store { get; }

    public ResourceChangeFeed Feed { get; }

    public FakePatientExtraction Extraction { get; }

    public StoreConnector Connector { get; }

    /// <summary>A world whose store holds <paramref name="published"/> and whose EHR holds <paramref name="ehr"/> (the same charts when null).</summary>
    public static async Task<StoreWorld> CreateAsync(
        IReadOnlyList<Chart> published,
        IReadOnlyList<Chart>? ehr = null,
        Action<StoreConnectorOptions>? configure = null,
        int feedCapacity = ResourceChangeFeed.DefaultCapacity)
    {
        var folder = Directory.CreateTempSubdirectory("rpa-host-fhirapi-").FullName;
        // Whole seconds: HTTP dates (Last-Modified) carry no fraction, so tests can compare them exactly.
        var now = TimeProvider.System.GetUtcNow();
        var world = new StoreWorld(folder, new FakeTimeProvider(now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond))), feedCapacity, configure, ehr ?? published);
        foreach (var chart in published)
        {
            await world.PublishAsync(ImportedCharts.Batch(chart, world.Clock.GetUtcNow()));
        }

        return world;
    }

    /// <summary>Publishes as a playbook run does: the store first, then the change feed.</summary>
    public async Task PublishAsync(IReadOnlyList<PublishedResource> batch)
    {
        await Store.PublishAsync(batch, default);
        await Feed.PublishAsync(batch, default);
    }

    public async ValueTask DisposeAsync()
    {
        await Connector.DisposeAsync();
        await Feed.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
    }
}

/// <summary>
/// The EHR side of on-demand refresh: "runs the playbook" for an MRN by republishing that chart at the current time,
/// counting calls. It can be made to wait for a signal, or to fail.
/// </summary>
internal sealed class FakePatientExtraction(IReadOnlyList<Chart> ehr, StoreWorld world) : IPatientExtraction
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>When set, each extraction waits for it before publishing.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When true, extractions fail (after the gate) without publishing.</summary>
    public bool Fail { get; set; }

    public async Task<PatientExtractionResult> ExtractAsync(string patientIdentifierValue, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Fail)
        {
            return PatientExtractionResult.Failed("The chart screen did not load.");
        }

        if (ehr.FirstOrDefault(c => c.Mrn == patientIdentifierValue) is not { } chart)
        {
            return PatientExtractionResult.NotFound;
        }

        await world.PublishAsync(ImportedCharts.Batch(chart, world.Clock.GetUtcNow()));
        return PatientExtractionResult.Extracted;
    }
}
