using Microsoft.Extensions.DependencyInjection;
using Quartz;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Tests.Support;

namespace RpaWorker.Host.Tests.Runs;

[Collection(TestWorker.Collection)]
public sealed class PostgresShardJobTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Execute_ShardFiredTwiceAtOnce_OneFiringReadsItAndTheOtherWaitsForTheClaimThenEnds()
    {
        // Two session slots, so that only the shard claim (not the EHR's cap, not Quartz) can keep the firings apart.
        var database = await postgres.CreateDatabaseAsync();
        await using var worker = await TestWorker.StartAsync(patients: 3, new Dictionary<string, string?>
        {
            ["Worker:Store"] = PostgresServer.Url(database),
            ["Worker:InstanceId"] = "worker-1",
            ["Ehrs:mock:MaxSessions"] = "2",
        });
        var store = worker.Services.GetRequiredService<RunStore>();
        var scheduler = await worker.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // Another worker's sessions fill both slots, so the firings wait before either opens a session.
        await using var other = RunStore.Postgres(database, TimeProvider.System);
        var busy = new List<ShardClaim>();
        foreach (var shard in new[] { 0, 1 })
        {
            var claim = (await other.TryClaimShardAsync("other-run", shard, CancellationToken.None))!;
            Assert.True(await claim.TryTakeSessionSlotAsync("mock", 2, CancellationToken.None));
            busy.Add(claim);
        }
        var id = await worker.StartRunAsync(new { ehr = "mock", shards = 1 });
        var job = new JobKey($"{id}-0", ShardJob.Group);
        await WaitUntilAsync(async () => await ExecutingAsync(scheduler, job) == 1, "the shard was not fired");

        // What the takeover of a worker taken for dead while it still works amounts to: the same shard fired again.
        await scheduler.TriggerJob(job, CancellationToken.None);
        await WaitUntilAsync(async () => await ExecutingAsync(scheduler, job) == 2, "the second firing did not run beside the first");
        foreach (var claim in busy)
        {
            await claim.DisposeAsync();
        }
        var view = await worker.WaitForRunAsync(id);
        await WaitUntilAsync(async () => await ExecutingAsync(scheduler, job) == 0, "a firing did not end after the shard finished");

        Assert.Equal((RunStatus.Succeeded, 3), (view.Run.Status, view.Progress.Succeeded));
        var attempts = await store.ShardAttemptsAsync(id, CancellationToken.None);
        Assert.Equal([("worker-1", "succeeded")], attempts.Select(a => (a.Owner, a.Status)));
        Assert.All(await worker.ItemsAsync(id), i => Assert.Equal((ItemStatus.Succeeded, 1), (i.Status, i.Attempts)));
    }

    private static async Task<int> ExecutingAsync(IScheduler scheduler, JobKey job) =>
        (await scheduler.QueryFireInstances(new FireInstanceQuery { Job = job }, CancellationToken.None)).Items.Count;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, failure);
            await Task.Delay(100);
        }
    }
}
