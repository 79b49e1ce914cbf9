using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RpaWorker.Host.Api;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Security;
using RpaWorker.MockEhr;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;

namespace RpaWorker.Host.Tests.Support;

/// <summary>
/// A worker host in this process on a free loopback port, with its own data folder, over a mock EHR that it starts on
/// generated data. Two tenants: clinic-a (which owns the EHR "mock") and clinic-b (which owns nothing).
/// </summary>
internal sealed class TestWorker : IAsyncDisposable
{
    /// <summary>Test classes that start workers (each with its own browser) run one at a time: two cores hold one well.</summary>
    public const string Collection = "workers";

    public const string KeyA = "test-key-clinic-a-2f8e1c";
    public const string KeyB = "test-key-clinic-b-93ad7b";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly RunningMockEhr? _ehr;
    private readonly bool _ownsData;

    private TestWorker(WebApplication app, RunningMockEhr? ehr, string dataDirectory, Uri address, bool ownsData)
    {
        _app = app;
        _ehr = ehr;
        DataDirectory = dataDirectory;
        Address = address;
        _ownsData = ownsData;
    }

    public string DataDirectory { get; }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public RunningMockEhr Ehr => _ehr ?? throw new InvalidOperationException("this worker shares another's EHR");

    public static string Root
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(dir, "RpaWorker.sln")))
            {
                dir = Path.GetDirectoryName(dir)!;
            }
            return dir;
        }
    }

    public static string ChartPlaybook => Path.Combine(Root, "playbooks", "mock-ehr", "chart.yaml");

    /// <summary>
    /// Starts a mock EHR with <paramref name="patients"/> generated charts and a worker over it. <paramref name="services"/>
    /// may register services before the worker's own, which then give way to them.
    /// </summary>
    public static async Task<TestWorker> StartAsync(int patients, IDictionary<string, string?>? settings = null, int seed = 5, MockEhrOptions? ehrOptions = null,
        Action<IServiceCollection>? services = null)
    {
        var store = LegacyStore.InMemory();
        foreach (var chart in ChartGenerator.Generate(patients, seed))
        {
            store.AddChart(chart);
        }
        var ehr = await MockEhrServer.StartAsync(store, ehrOptions ?? new MockEhrOptions());
        var data = Directory.CreateTempSubdirectory("rpa-host-").FullName;
        return await StartWorkerAsync(ehr, ehr.BaseAddress, data, settings, ownsData: true, services);
    }

    /// <summary>Another worker over the same data folder and EHR (a restart).</summary>
    public async Task<TestWorker> RestartAsync(IDictionary<string, string?>? settings = null)
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        return await StartWorkerAsync(_ehr, _ehr!.BaseAddress, DataDirectory, settings, ownsData: true);
    }

    private static async Task<TestWorker> StartWorkerAsync(RunningMockEhr? ehr, Uri ehrAddress, string data, IDictionary<string, string?>? settings, bool ownsData,
        Action<IServiceCollection>? services = null)
    {
        var secrets = Path.Combine(data, "secrets.json");
        if (!File.Exists(secrets))
        {
            File.WriteAllText(secrets, """{ "mock-ehr": { "username": "clinician", "password": "Passw0rd!" } }""");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        var config = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Worker:DataDirectory"] = data,
            ["Worker:SecretsFile"] = secrets,
            ["Worker:RetryBackoff"] = "00:00:00.200",
            ["Worker:MaxItemAttempts"] = "2",
            ["Ehrs:mock:Tenant"] = "clinic-a",
            ["Ehrs:mock:Playbook"] = ChartPlaybook,
            ["Ehrs:mock:BaseUrl"] = ehrAddress.ToString(),
            ["Ehrs:mock:MaxSessions"] = "1",
            ["Auth:ApiKeys:0:Name"] = "ops-a",
            ["Auth:ApiKeys:0:Tenant"] = "clinic-a",
            ["Auth:ApiKeys:0:Sha256"] = ApiKey.Hash(KeyA),
            ["Auth:ApiKeys:1:Name"] = "ops-b",
            ["Auth:ApiKeys:1:Tenant"] = "clinic-b",
            ["Auth:ApiKeys:1:Sha256"] = ApiKey.Hash(KeyB),
            ["Serilog:MinimumLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        var app = WorkerHost.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            services?.Invoke(b.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestWorker(app, ehr, data, new Uri(address), ownsData);
    }

    public HttpClient Client(string? key = KeyA)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>Starts a run through the API and returns its id.</summary>
    public async Task<string> StartRunAsync(object request, string key = KeyA)
    {
        using var client = Client(key);
        var response = await client.PostAsJsonAsync("/api/runs", request, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<RunView>(body, Json)!.Run.Id;
    }

    public async Task<RunView> GetRunAsync(string id, string key = KeyA)
    {
        using var client = Client(key);
        return (await client.GetFromJsonAsync<RunView>($"/api/runs/{id}", Json))!;
    }

    /// <summary>Polls until the run is finished (or the timeout passes, which fails the test).</summary>
    public async Task<RunView> WaitForRunAsync(string id, TimeSpan? timeout = null)
    {
        // A guard against a hang, not a time limit: a run of a few patients with retries can take minutes on a loaded machine.
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromMinutes(10));
        while (true)
        {
            var view = await GetRunAsync(id);
            if (view.Run.Finished is not null)
            {
                return view;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"run {id} did not finish in time: {JsonSerializer.Serialize(view, Json)}");
            await Task.Delay(250);
        }
    }

    public async Task<IReadOnlyList<ItemRecord>> ItemsAsync(string id)
    {
        using var client = Client();
        return (await client.GetFromJsonAsync<List<ItemRecord>>($"/api/runs/{id}/items", Json))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ehr is not null)
        {
            await _ehr.DisposeAsync();
        }
        if (_ownsData && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
