using System.Net;
using System.Net.Http.Json;
using RpaWorker.Host.Api;
using RpaWorker.Host.Runs;
using RpaWorker.Publishing;

namespace RpaWorker.Cli.Tests.Commands;

// Each test starts rpa processes with their own browsers: one such class at a time.
[Collection("rpa processes")]
public sealed class ServeCommandTests
{
    private static async Task<(RpaProcess Worker, Uri Address)> ServeAsync(string folder, string ehr) =>
        await Serving.ServeAsync(folder, Serving.Config(folder, ehr));

    [Fact]
    public async Task Serve_KilledMidRun_ResumesOnRestartAndPublishesWhatAnUninterruptedRunDoes()
    {
        const int patients = 8;
        var data = Serving.SyntheaSubset(patients);
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
                using var client = Serving.Client(baselineAddress);
                var started = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock" });
                var id = (await started.Content.ReadFromJsonAsync<RunView>(Serving.Json))!.Run.Id;
                var done = await Serving.WaitAsync(client, id, v => v.Run.Finished is not null, TimeSpan.FromMinutes(8));
                Assert.Equal((RunStatus.Succeeded, patients), (done.Run.Status, done.Progress.Succeeded));
            }

            // The same run, killed with SIGKILL once a few patients are done, then started again.
            string runId;
            var (first, address) = await ServeAsync(interrupted, ehrAddress);
            await using (first)
            {
                using var client = Serving.Client(address);
                var started = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock" });
                runId = (await started.Content.ReadFromJsonAsync<RunView>(Serving.Json))!.Run.Id;
                await Serving.WaitAsync(client, runId, v => v.Progress.Succeeded >= 3, TimeSpan.FromMinutes(6));
                await first.KillHardAsync();
            }
            var (second, address2) = await ServeAsync(interrupted, ehrAddress);
            await using (second)
            {
                using var client = Serving.Client(address2);
                var done = await Serving.WaitAsync(client, runId, v => v.Run.Finished is not null, TimeSpan.FromMinutes(8));
                Assert.Equal((RunStatus.Succeeded, patients), (done.Run.Status, done.Progress.Succeeded));
                var items = (await client.GetFromJsonAsync<List<ItemRecord>>($"/api/runs/{runId}/items", Serving.Json))!;
                Assert.Equal(patients, items.Select(i => i.ItemId).Distinct().Count());
                // Patients finished before the kill were not read again; at most the one in flight per shard was.
                Assert.True(items.Count(i => i.Attempts > 1) <= 1, string.Join(", ", items.Select(i => i.Attempts)));
                var shards = (await client.GetFromJsonAsync<List<ShardRecord>>($"/api/runs/{runId}/shards", Serving.Json))!;
                Assert.Equal(2, Assert.Single(shards).Attempts);
            }

            var expected = await Serving.StoreContentAsync(Path.Combine(clean, "data"));
            var actual = await Serving.StoreContentAsync(Path.Combine(interrupted, "data"));
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
                using var client = Serving.Client(address);
                foreach (var inputs in new object[] { new { }, new { mrn = Canary.Mrn }, new { mrn = absentMrn } })
                {
                    var started = await client.PostAsJsonAsync("/api/runs", new { ehr = "mock", inputs });
                    var id = (await started.Content.ReadFromJsonAsync<RunView>(Serving.Json))!.Run.Id;
                    await Serving.WaitAsync(client, id, v => v.Run.Finished is not null, TimeSpan.FromMinutes(4));
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

            var (exit, stdout, stderr) = await RpaProcess.RunAsync("serve", "--config", config, "--urls", $"http://127.0.0.1:{Serving.FreePort()}");

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
