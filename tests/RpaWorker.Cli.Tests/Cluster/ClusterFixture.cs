using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Security;
using RpaWorker.Host.Tests.Support;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Export;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.Cli.Tests.Cluster;

/// <summary>
/// Three <c>rpa serve</c> processes (worker-1..3, each its own port and data folder) sharing one PostgreSQL database
/// as run store and clustered job store, over one mock EHR with generated patients. The EHR is configured once per
/// test under a tenant of its own, so each test's published output is its own store: <see cref="Ehrs"/>.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Patients in the mock EHR.</summary>
    public const int Patients = 12;

    /// <summary>Per test: EHR name, its tenant (named alike), and its cluster-wide session cap.</summary>
    internal static readonly (string Ehr, int MaxSessions)[] Ehrs = [("shared", 3), ("killed", 3), ("capped", 1), ("scheduled", 1)];

    private readonly PostgresServer _postgres = new();
    private readonly List<Worker> _workers = [];
    private RunningMockEhr? _ehr;
    private string _root = "";

    internal IReadOnlyList<Worker> Workers => _workers;

    internal RunStore Store { get; private set; } = null!;

    internal string ConnectionString { get; private set; } = "";

    /// <summary>The mock EHR's ground truth (NDJSON per type), to compare published output with.</summary>
    internal string TruthDirectory => Path.Combine(_root, "truth");

    /// <summary>The MRN of the mock's first patient.</summary>
    internal string FirstMrn { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("rpa-cluster-").FullName;
        await _postgres.InitializeAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync();
        Store = RunStore.Postgres(ConnectionString, TimeProvider.System);

        var store = LegacyStore.InMemory();
        foreach (var chart in ChartGenerator.Generate(Patients, 5))
        {
            store.AddChart(chart);
        }
        FirstMrn = store.ListPatients()[0].Mrn;
        GroundTruthExporter.Export(store, TruthDirectory);
        _ehr = await MockEhrServer.StartAsync(store, new MockEhrOptions());

        // Started together: each one loads for a while, and the cluster is what is under test, not start-up order.
        _workers.AddRange(await Task.WhenAll(Enumerable.Range(1, 3).Select(i => StartWorkerAsync($"worker-{i}"))));
    }

    /// <summary>An API client of <paramref name="worker"/> with the key of <paramref name="tenant"/>.</summary>
    internal static HttpClient Client(Worker worker, string tenant)
    {
        var client = new HttpClient { BaseAddress = worker.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyOf(tenant));
        return client;
    }

    /// <summary>Kills a worker with SIGKILL, as a crash would: no shutdown code runs, its shards are left as they were.</summary>
    internal static async Task KillAsync(Worker worker) => await worker.Process.KillHardAsync();

    /// <summary>Starts a killed worker again, with its folder and instance id, so later tests have three.</summary>
    internal async Task RestartAsync(Worker worker)
    {
        await worker.Process.DisposeAsync();
        var restarted = await StartWorkerAsync(worker.InstanceId);
        _workers[_workers.IndexOf(worker)] = restarted;
    }

    /// <summary>
    /// Everything the workers published for <paramref name="tenant"/>, merged into one NDJSON folder per type. A resource
    /// in more than one worker's store (a patient redone after its worker died) must be the same there.
    /// </summary>
    internal async Task<string> PublishedAsync(string tenant)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var worker in _workers)
        {
            foreach (var (key, json) in await Serving.StoreContentAsync(Path.Combine(worker.Folder, "data"), tenant))
            {
                Assert.True(!merged.TryGetValue(key, out var other) || other == json, $"{key} differs between workers' stores");
                merged[key] = json;
            }
        }
        var folder = Path.Combine(_root, "published-" + tenant);
        Directory.CreateDirectory(folder);
        foreach (var type in merged.GroupBy(p => p.Key[..p.Key.IndexOf('/', StringComparison.Ordinal)]))
        {
            await File.WriteAllLinesAsync(Path.Combine(folder, type.Key + ".ndjson"), type.Select(p => p.Value));
        }
        return folder;
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.Process.DisposeAsync();
        }
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
        if (_ehr is not null)
        {
            await _ehr.DisposeAsync();
        }
        await _postgres.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string KeyOf(string tenant) => "cluster-test-key-" + tenant;

    private async Task<Worker> StartWorkerAsync(string instanceId)
    {
        var folder = Path.Combine(_root, instanceId);
        Directory.CreateDirectory(folder);
        var config = Serving.Config(folder, _ehr!.BaseAddress.ToString());
        var worker = config["Worker"]!.AsObject();
        worker["Store"] = PostgresServer.Url(ConnectionString);
        worker["InstanceId"] = instanceId;
        worker["MaxConcurrentShards"] = 1;
        worker["ClusterCheckinInterval"] = "00:00:03";
        var ehrs = new JsonObject();
        var keys = new JsonArray();
        foreach (var (ehr, sessions) in Ehrs)
        {
            ehrs[ehr] = new JsonObject
            {
                ["Tenant"] = ehr,
                ["Playbook"] = Repo.ChartPlaybook,
                ["BaseUrl"] = _ehr.BaseAddress.ToString(),
                ["MaxSessions"] = sessions,
            };
            keys.Add(new JsonObject { ["Name"] = ehr, ["Tenant"] = ehr, ["Sha256"] = ApiKey.Hash(KeyOf(ehr)) });
        }
        config["Ehrs"] = ehrs;
        config["Auth"] = new JsonObject { ["ApiKeys"] = keys };
        var (process, address) = await Serving.ServeAsync(folder, config);
        return new Worker(instanceId, folder, address, process);
    }

    /// <summary>One <c>rpa serve</c> process of the cluster.</summary>
    internal sealed record Worker(string InstanceId, string Folder, Uri Address, RpaProcess Process);
}
