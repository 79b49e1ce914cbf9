using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using RpaWorker.Cli.Running;
using RpaWorker.Cli.Tests.Running;
using RpaWorker.Host.Api;
using RpaWorker.Host.Runs;
using Xunit.Abstractions;

namespace RpaWorker.Cli.Tests.Cluster;

// Three rpa serve processes with their own browsers: one such class at a time.
[Collection("rpa processes")]
public sealed class ClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>, IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(12);

    [Fact]
    public async Task BulkRun_ThreeWorkers_ShardsSpreadOverWorkersAndEveryPatientPublishedOnce()
    {
        const string tenant = "shared";

        var runId = await RunToEndAsync(cluster.Workers[0], tenant, shards: 6);

        var attempts = await cluster.Store.ShardAttemptsAsync(runId, CancellationToken.None);
        Assert.True(attempts.Select(a => a.Owner).Distinct().Count() > 1, "one worker ran every shard: " + Describe(attempts));
        Assert.True(MostAtOnce(attempts) <= 3, "more sessions at once than the EHR's cap of 3: " + Describe(attempts));
        await AssertPublishedOnceAsync(tenant);
    }

    [Fact]
    public async Task BulkRun_WorkerKilledHoldingShard_OthersFinishItAndEveryPatientPublishedOnce()
    {
        const string tenant = "killed";
        var survivor = cluster.Workers[0];
        using var client = ClusterFixture.Client(survivor, tenant);
        var runId = await Serving.StartRunAsync(client, new { ehr = tenant, shards = 3 });

        // A worker other than the one asked, in the middle of a shard it has already published part of.
        ShardAttempt? held = null;
        var deadline = TimeProvider.System.GetUtcNow() + RunTimeout;
        while (held is null)
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "no worker but the first took a shard");
            await Task.Delay(200);
            var items = await cluster.Store.ItemsAsync(runId, CancellationToken.None);
            held = (await cluster.Store.ShardAttemptsAsync(runId, CancellationToken.None)).FirstOrDefault(a =>
                a.Finished is null && a.Owner != survivor.InstanceId && items.Any(i => i.Shard == a.Shard && i.Status == ItemStatus.Succeeded));
        }
        var victim = cluster.Workers.Single(w => w.InstanceId == held.Owner);
        await ClusterFixture.KillAsync(victim);
        var killedAt = TimeProvider.System.GetUtcNow();
        try
        {
            var done = await Serving.WaitAsync(client, runId, v => v.Run.Finished is not null, RunTimeout);

            Assert.Equal((RunStatus.Succeeded, ClusterFixture.Patients), (done.Run.Status, done.Progress.Succeeded));
            var attempts = (await client.GetFromJsonAsync<List<ShardAttempt>>($"/api/runs/{runId}/shards/attempts", Serving.Json))!;
            var abandoned = attempts.Where(a => a.Owner == victim.InstanceId && a.Finished is null).ToList();
            Assert.Contains(abandoned, a => a.Shard == held.Shard);
            foreach (var lost in abandoned)
            {
                var redo = attempts.SingleOrDefault(a => a.Shard == lost.Shard && a.Attempt == lost.Attempt + 1);
                Assert.True(redo is { Status: "succeeded" } && redo.Owner != victim.InstanceId, $"shard {lost.Shard} was not finished by another worker: {Describe(attempts)}");
                output.WriteLine($"shard {lost.Shard}: killed at +0 s, taken by {redo.Owner} after {(redo.Started - killedAt).TotalSeconds:0.0} s");
            }
            // Patients settled before the kill were not read again; at most the one in flight in each abandoned shard was.
            var items = await cluster.Store.ItemsAsync(runId, CancellationToken.None);
            Assert.Equal(ClusterFixture.Patients, items.Select(i => i.ItemId).Distinct().Count());
            Assert.True(items.Count(i => i.Attempts > 1) <= abandoned.Count, string.Join(", ", items.Select(i => $"{i.Shard}:{i.Attempts}")));
            await AssertPublishedOnceAsync(tenant);
        }
        finally
        {
            await cluster.RestartAsync(victim);
        }
    }

    [Fact]
    public async Task BulkRun_SessionCapOneAcrossThreeWorkers_NeverTwoSessionsAtOnce()
    {
        const string tenant = "capped";

        var runId = await RunToEndAsync(cluster.Workers[1], tenant, shards: 3);

        var attempts = await cluster.Store.ShardAttemptsAsync(runId, CancellationToken.None);
        Assert.Equal(3, attempts.Count);
        Assert.True(MostAtOnce(attempts) == 1, "two sessions at once: " + Describe(attempts));
        output.WriteLine(Describe(attempts));
    }

    [Fact]
    public async Task Schedule_ThreeWorkers_EachFiringStartsOneRun()
    {
        const string tenant = "scheduled";
        using var client = ClusterFixture.Client(cluster.Workers[2], tenant);
        var saved = await client.PutAsJsonAsync("/api/schedules/every", new { ehr = tenant, interval = "00:00:03", inputs = new { mrn = cluster.FirstMrn } }, Serving.Json);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        await Task.Delay(TimeSpan.FromSeconds(16));
        Assert.True((await client.PostAsync("/api/schedules/every/pause", null)).IsSuccessStatusCode);
        // A firing already handed to a worker still starts its run: let it.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var fired = await TimesTriggeredAsync("every");
        var runs = (await cluster.Store.ListRunsAsync(tenant, 100, CancellationToken.None)).Where(r => r.Trigger == "schedule:every").ToList();
        foreach (var run in runs)
        {
            await client.PostAsync($"/api/runs/{run.Id}/cancel", null);
        }
        Assert.True((await client.DeleteAsync("/api/schedules/every")).IsSuccessStatusCode);
        Assert.True(fired >= 3, $"the schedule fired {fired} time(s) in 16 s at a 3 s interval");
        Assert.Equal(fired, runs.Count);
    }

    /// <summary>What each worker printed last (PHI-redacted logs), to see what a failed test's workers were doing.</summary>
    public void Dispose()
    {
        foreach (var worker in cluster.Workers)
        {
            output.WriteLine($"--- {worker.InstanceId}");
            output.WriteLine(string.Join("\n", worker.Process.StandardOutput.Split('\n').TakeLast(40)));
        }
    }

    /// <summary>Starts a run of every patient through <paramref name="worker"/>, waits for it, and checks every patient succeeded.</summary>
    private static async Task<string> RunToEndAsync(ClusterFixture.Worker worker, string tenant, int shards)
    {
        using var client = ClusterFixture.Client(worker, tenant);
        var runId = await Serving.StartRunAsync(client, new { ehr = tenant, shards });
        RunView done;
        try
        {
            done = await Serving.WaitAsync(client, runId, v => v.Run.Finished is not null, RunTimeout);
        }
        catch
        {
            // Not left to hold the EHR's sessions in the tests that follow.
            await client.PostAsync($"/api/runs/{runId}/cancel", null);
            throw;
        }
        Assert.True((done.Run.Status, done.Progress.Succeeded) == (RunStatus.Succeeded, ClusterFixture.Patients),
            JsonSerializer.Serialize(done, Serving.Json) + "\n" + await client.GetStringAsync($"/api/runs/{runId}/shards/attempts"));
        return runId;
    }

    /// <summary>The published output of the tenant, every worker's store together, against the mock's ground truth.</summary>
    private async Task AssertPublishedOnceAsync(string tenant)
    {
        var published = await cluster.PublishedAsync(tenant);
        var differences = FidelityScore.Compare(cluster.TruthDirectory, published, Fidelity.Publishable).Differences;
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(20)));
        Assert.Equal(ClusterFixture.Patients, File.ReadLines(Path.Combine(published, "Provenance.ndjson")).Count());
    }

    /// <summary>How often Quartz fired the schedule's trigger, from its row in the shared job store.</summary>
    private async Task<long> TimesTriggeredAsync(string schedule)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT times_triggered FROM qrtz_simple_triggers WHERE trigger_name = @name", connection);
        command.Parameters.AddWithValue("name", schedule);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The most shard attempts (sessions) that were open at the same moment.</summary>
    private static int MostAtOnce(IReadOnlyList<ShardAttempt> attempts)
    {
        Assert.All(attempts, a => Assert.NotNull(a.Finished));
        return attempts.SelectMany(a => new[] { (At: a.Started, Change: 1), (At: a.Finished!.Value, Change: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Change) // an end and a start at the same millisecond do not overlap
            .Aggregate((Open: 0, Most: 0), (s, e) => (s.Open + e.Change, Math.Max(s.Most, s.Open + e.Change))).Most;
    }

    private static string Describe(IEnumerable<ShardAttempt> attempts) =>
        string.Join("; ", attempts.Select(a => $"shard {a.Shard} #{a.Attempt} {a.Owner} {a.Started:HH:mm:ss.fff}-{a.Finished:HH:mm:ss.fff} {a.Status}"));
}
