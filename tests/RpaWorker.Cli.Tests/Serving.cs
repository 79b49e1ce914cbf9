using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using RpaWorker.Host.Api;
using RpaWorker.Host.Security;
using RpaWorker.Publishing;

namespace RpaWorker.Cli.Tests;

/// <summary>What the tests that run <c>rpa serve</c> processes share: configuration, the API key, polling, the tenant store.</summary>
internal static class Serving
{
    public const string Key = "serve-test-key-51f0";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The resource types the chart playbook publishes, Provenance included.</summary>
    public static readonly string[] ResourceTypes = ["Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Immunization", "Encounter", "Provenance"];

    /// <summary>The smallest Synthea patients, linked into a folder of their own.</summary>
    public static string SyntheaSubset(int count)
    {
        var folder = Directory.CreateTempSubdirectory("rpa-synthea-subset-").FullName;
        foreach (var file in Directory.GetFiles(Repo.Synthea, "*.json").Where(f => !Path.GetFileName(f).StartsWith("hospital", StringComparison.Ordinal)
            && !Path.GetFileName(f).StartsWith("practitioner", StringComparison.Ordinal)).OrderBy(f => new FileInfo(f).Length).Take(count))
        {
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), Path.GetFullPath(file));
        }
        return folder;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A worker's configuration: data under <paramref name="folder"/>/data, a free port, the EHR "mock" of tenant
    /// clinic-a at <paramref name="ehr"/> read with the chart playbook, and <see cref="Key"/>. Callers add to it.
    /// </summary>
    public static JsonObject Config(string folder, string ehr) => new()
    {
        ["urls"] = $"http://127.0.0.1:{FreePort()}",
        ["Worker"] = new JsonObject { ["DataDirectory"] = Path.Combine(folder, "data"), ["RetryBackoff"] = "00:00:00.500" },
        ["Ehrs"] = new JsonObject
        {
            ["mock"] = new JsonObject
            {
                ["Tenant"] = "clinic-a",
                ["Playbook"] = Repo.ChartPlaybook,
                ["BaseUrl"] = ehr,
            },
        },
        ["Auth"] = new JsonObject { ["ApiKeys"] = new JsonArray(new JsonObject { ["Name"] = "test", ["Tenant"] = "clinic-a", ["Sha256"] = ApiKey.Hash(Key) }) },
    };

    /// <summary>Writes <paramref name="config"/> to <paramref name="folder"/>/appsettings.json and starts <c>rpa serve</c> on it.</summary>
    public static async Task<(RpaProcess Worker, Uri Address)> ServeAsync(string folder, JsonObject config)
    {
        var file = Path.Combine(folder, "appsettings.json");
        File.WriteAllText(file, config.ToJsonString());
        var worker = RpaProcess.Start(Repo.MockEhrCredentials, "serve", "--config", file);
        await worker.WaitForLineAsync("RpaWorker is serving on", TimeSpan.FromMinutes(3));
        return (worker, new Uri(config["urls"]!.GetValue<string>()));
    }

    public static HttpClient Client(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    /// <summary>Starts a run of the EHR "mock" and returns its id.</summary>
    public static async Task<string> StartRunAsync(HttpClient client, object request)
    {
        var started = await client.PostAsJsonAsync("/api/runs", request, Json);
        var body = await started.Content.ReadAsStringAsync();
        Assert.True(started.IsSuccessStatusCode, $"{(int)started.StatusCode}: {body}");
        return JsonSerializer.Deserialize<RunView>(body, Json)!.Run.Id;
    }

    public static async Task<RunView> WaitAsync(HttpClient client, string runId, Func<RunView, bool> until, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        var errors = 0;
        while (true)
        {
            // An operator's client polls on through a passing server error (a database lock timing out in a cluster
            // under load); one that persists fails the wait with what the server said.
            using var response = await client.GetAsync($"/api/runs/{runId}");
            if ((int)response.StatusCode >= 500 && ++errors < 20)
            {
                await Task.Delay(1000);
                continue;
            }
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET /api/runs/{runId}: {(int)response.StatusCode}: {body}");
            errors = 0;
            var view = JsonSerializer.Deserialize<RunView>(body, Json)!;
            if (until(view))
            {
                return view;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "timed out; run is " + JsonSerializer.Serialize(view, Json));
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Every resource in a worker's store of <paramref name="tenant"/>, keyed <c>Type/id</c>, with the times a re-run legitimately
    /// changes taken out. Fails when the store holds one type and id twice.
    /// </summary>
    public static async Task<SortedDictionary<string, string>> StoreContentAsync(string dataDirectory, string tenant = "clinic-a")
    {
        var content = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var file = Path.Combine(dataDirectory, "tenants", tenant, "resources.db");
        if (!File.Exists(file))
        {
            return content;
        }
        await using var store = new SqliteSink(file);
        foreach (var type in ResourceTypes)
        {
            string? after = null;
            while (true)
            {
                var page = await store.SearchAsync(type, 500, after, CancellationToken.None);
                foreach (var resource in page)
                {
                    var json = JsonNode.Parse(resource.Json)!.AsObject();
                    json["meta"]?.AsObject().Remove("lastUpdated");
                    json.Remove("recorded");
                    Assert.True(content.TryAdd($"{type}/{resource.Id}", json.ToJsonString()), $"{type}/{resource.Id} twice");
                }
                if (page.Count < 500)
                {
                    break;
                }
                after = page[^1].Id;
            }
        }
        return content;
    }
}
