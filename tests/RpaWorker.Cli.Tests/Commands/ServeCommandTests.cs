using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using RpaWorker.Host.Api;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Security;
using RpaWorker.Publishing;

namespace RpaWorker.Cli.Tests.Commands;

// Each test starts rpa processes with their own browsers: one such class at a time.
[Collection("rpa processes")]
public sealed class ServeCommandTests
{
    private const string Key = "serve-test-key-51f0";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> Credentials = new()
    {
        ["RPA_SECRET_MOCK_EHR_USERNAME"] = "clinician",
        ["RPA_SECRET_MOCK_EHR_PASSWORD"] = "Passw0rd!",
    };

    /// <summary>The smallest Synthea patients, linked into a folder of their own.</summary>
    private static string SyntheaSubset(int count)
    {
        var synthea = Repo.Synthea;
        var folder = Directory.CreateTempSubdirectory("rpa-synthea-subset-").FullName;
        foreach (var file in Directory.GetFiles(synthea, "*.json").Where(f => !Path.GetFileName(f).StartsWith("hospital", StringComparison.Ordinal)
            && !Path.GetFileName(f).StartsWith("practitioner", StringComparison.Ordinal)).OrderBy(f => new FileInfo(f).Length).Take(count))
        {
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), Path.GetFullPath(file));
        }
        return folder;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (string Config, Uri Address) WriteConfig(string folder, string ehr)
    {
        var port = FreePort();
        var config = new JsonObject
        {
            ["urls"] = $"http://127.0.0.1:{port}",
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
        var file = Path.Combine(folder, "appsettings.json");
        File.WriteAllText(file, config.ToJsonString());
        return (file, new Uri($"http://127.0.0.1:{port}"));
    }

    private static HttpClient Client(Uri address)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static async Task<RunView> WaitAsync(HttpClient client, string runId, Func<RunView, bool> until, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var view = (await client.GetFromJsonAsync<RunView>($"/api/runs/{runId}", Json))!;
            if (until(view))
            {
                return view;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "timed out; run is " + JsonSerializer.Serialize(view, Json));
            await Task.Delay(250);
        }
    }

    /// <summary>Every resource in a tenant store, with the times a re-run legitimately changes taken out.</summary>
    private static async Task<SortedDictionary<string, string>> StoreContentAsync(string dataDirectory)
    {
        await using var store = new SqliteSink(Path.Combine(dataDirectory, "tenants", "clinic-a", "resources.db"));
        var content = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in new[] { "Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Immunization", "Encounter", "Provenance" })
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

    private static async Task<(RpaProcess Worker, Uri Address)> ServeAsync(string folder, string ehr)
    {
        var (config, address) = WriteConfig(folder, ehr);
        var worker = RpaProcess.Start(Credentials, "serve", "--config", config);
        await worker.WaitForLineAsync("RpaWorker is serving on", TimeSpan.FromMinutes(2));
        return (worker, address);
    }

    [Fact]
    public async Task Serve_KilledMidRun_ResumesOnRestartAndPublishesWhatAnUninterruptedRunDoes()
    {
        const int patients = 8;
        var data = SyntheaSubset(patients);
        var interrupted = Directory.CreateTempSubdirectory("rpa-serve-killed-").FullName;
        var clean = Directory.CreateTempSubdirectory("rpa-serve-clean-").FullName;
        try
        {
            await using var ehr = RpaProcess.Start("mock-ehr", "--data", data, "--port", "0");
            var ehrAddress = await ehr.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));

            // The uninterrupted run, for comparison.
            var (baseline, baselineAddress) = await ServeAsync(clean, ehrAddress);
            await using (baseline)
            {
                using var client = Client(baselineAddress);
                var started = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock" });
                var id = (await started.Content.ReadFromJsonAsync<RunView>(Json))!.Run.Id;
                var done = await WaitAsync(client, id, v => v.Run.Finished is not null, TimeSpan.FromMinutes(8));
                Assert.Equal((RunStatus.Succeeded, patients), (done.Run.Status, done.Progress.Succeeded));
            }

            // The same run, killed with SIGKILL once a few patients are done, then started again.
            string runId;
            var (first, address) = await ServeAsync(interrupted, ehrAddress);
            await using (first)
            {
                using var client = Client(address);
                var started = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock" });
                runId = (await started.Content.ReadFromJsonAsync<RunView>(Json))!.Run.Id;
                await WaitAsync(client, runId, v => v.Progress.Succeeded >= 3, TimeSpan.FromMinutes(6));
                await first.KillHardAsync();
            }
            var (second, address2) = await ServeAsync(interrupted, ehrAddress);
            await using (second)
            {
                using var client = Client(address2);
                var done = await WaitAsync(client, runId, v => v.Run.Finished is not null, TimeSpan.FromMinutes(8));
                Assert.Equal((RunStatus.Succeeded, patients), (done.Run.Status, done.Progress.Succeeded));
                var items = (await client.GetFromJsonAsync<List<ItemRecord>>($"/api/runs/{runId}/items", Json))!;
                Assert.Equal(patients, items.Select(i => i.ItemId).Distinct().Count());
                // Patients finished before the kill were not read again; at most the one in flight per shard was.
                Assert.True(items.Count(i => i.Attempts > 1) <= 1, string.Join(", ", items.Select(i => i.Attempts)));
                var shards = (await client.GetFromJsonAsync<List<ShardRecord>>($"/api/runs/{runId}/shards", Json))!;
                Assert.Equal(2, Assert.Single(shards).Attempts);
            }

            var expected = await StoreContentAsync(Path.Combine(clean, "data"));
            var actual = await StoreContentAsync(Path.Combine(interrupted, "data"));
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (key, json) in expected)
            {
                Assert.True(json == actual[key], $"{key} differs");
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            Directory.Delete(interrupted, recursive: true);
            Directory.Delete(clean, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_CanaryPatient_LeavesNoCanaryInConsoleLogsMetricsOrErrorBodies()
    {
        const string absentMrn = "CANARY-MRN-00000";
        var data = Canary.BundleFolder();
        var folder = Directory.CreateTempSubdirectory("rpa-serve-canary-").FullName;
        try
        {
            await using var ehr = RpaProcess.Start("mock-ehr", "--data", data, "--port", "0", "--error-rate", "10%", "--fault-seed", "3", "--popup-rate", "1");
            var ehrAddress = await ehr.WaitForLineAsync("Listening on ", TimeSpan.FromMinutes(2));
            var bodies = new List<string>();
            var (worker, address) = await ServeAsync(folder, ehrAddress);
            await using (worker)
            {
                using var client = Client(address);
                foreach (var inputs in new object[] { new { }, new { mrn = Canary.Mrn }, new { mrn = absentMrn } })
                {
                    var started = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock", inputs });
                    var id = (await started.Content.ReadFromJsonAsync<RunView>(Json))!.Run.Id;
                    await WaitAsync(client, id, v => v.Run.Finished is not null, TimeSpan.FromMinutes(4));
                    bodies.Add(await client.GetStringAsync($"/api/runs/{id}/items"));
                    bodies.Add(await client.GetStringAsync($"/api/runs/{id}/shards"));
                }
                var metrics = await client.GetStringAsync("/metrics");
                Assert.Contains("rpa_patients", metrics);
                bodies.Add(metrics);
                bodies.Add(await client.GetStringAsync("/api/review"));
                foreach (var path in new[] { $"/api/runs/{Canary.Mrn}", $"/api/runs/{Canary.Mrn}/items", $"/api/schedules/{Canary.Mrn}" })
                {
                    var response = await client.GetAsync(path);
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    bodies.Add(await response.Content.ReadAsStringAsync());
                }
                var refused = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock", inputs = new { patient_name = Canary.Family } });
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                bodies.Add(await refused.Content.ReadAsStringAsync());
            }

            var logs = string.Concat(Directory.GetFiles(Path.Combine(folder, "data", "logs")).Select(File.ReadAllText));
            Assert.Contains("on EHR {Ehr} started", logs);
            Assert.Contains("\"Ehr\":\"mock\"", logs);
            var everything = string.Join("\n", bodies) + logs + worker.StandardOutput + worker.StandardError;
            foreach (var canary in Canary.Values.Append(absentMrn))
            {
                Assert.DoesNotContain(canary, everything, StringComparison.OrdinalIgnoreCase);
            }
            // The data did arrive, in the tenant's store, where PHI belongs.
            await using var store = new SqliteSink(Path.Combine(folder, "data", "tenants", "clinic-a", "resources.db"));
            var patient = Assert.Single(await store.SearchAsync("Patient", 10, null, CancellationToken.None));
            Assert.Contains(Canary.Mrn, patient.Json);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_InvalidConfiguration_ExitsTwoNamingEveryProblem()
    {
        var folder = Directory.CreateTempSubdirectory("rpa-serve-bad-").FullName;
        try
        {
            var config = Path.Combine(folder, "bad.json");
            File.WriteAllText(config, """
                { "Worker": { "DataDirectory": "DATA", "MaxConcurrentShards": 0 },
                  "Ehrs": { "x": { "Playbook": "/nope.yaml", "BaseUrl": "not a url" } },
                  "Auth": { "ApiKeys": [ { "Name": "k", "Tenant": "t", "Sha256": "abc" } ] } }
                """.Replace("DATA", Path.Combine(folder, "data").Replace("\\", "/", StringComparison.Ordinal), StringComparison.Ordinal));

            var (exit, stdout, stderr) = await RpaProcess.RunAsync("serve", "--config", config, "--urls", $"http://127.0.0.1:{FreePort()}");

            Assert.True(exit == 2, $"exit {exit}\n{stdout}\n{stderr}");
            foreach (var expected in new[] { "Worker:MaxConcurrentShards must be from 1 to 64", "Ehrs:x:Tenant is required", "Ehrs:x:BaseUrl must be an absolute URL",
                         "Ehrs:x:Playbook '/nope.yaml' does not exist", "Auth:ApiKeys:0:Sha256 must be 64 hex digits" })
            {
                Assert.Contains(expected, stderr);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
