using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Tests.Support;

namespace RpaWorker.Host.Tests.Runs;

public sealed class PostgresRunStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private async Task<(RunStore Store, FakeTimeProvider Time)> CreateSutAsync()
    {
        var time = new FakeTimeProvider(T0);
        var store = RunStore.Postgres(await postgres.CreateDatabaseAsync(), time);
        await store.EnsureCreatedAsync(CancellationToken.None);
        return (store, time);
    }

    /// <summary>A queued run of clinic-a on the EHR "mock" (the test worker's tenant and EHR), not yet in any store.</summary>
    internal static RunRecord Run(int shards) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Tenant = "clinic-a",
        Ehr = "mock",
        PlaybookId = "chart",
        PlaybookVersion = "1",
        Trigger = "api",
        Inputs = new Dictionary<string, string>(),
        Status = RunStatus.Queued,
        Shards = shards,
        Created = T0,
    };

    [Fact]
    public async Task ShardAttemptsAsync_ShardTakenOverAfterItsWorkerDied_ShowsBothWorkersAndWhenEachTookIt()
    {
        var (store, time) = await CreateSutAsync();
        await using var _ = store;
        var run = Run(shards: 2);
        await store.CreateRunAsync(run, CancellationToken.None);

        await store.StartShardAsync(run.Id, 0, "worker-1", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.StartShardAsync(run.Id, 1, "worker-2", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(9));
        // worker-1 died without a word; worker-3 takes its shard over.
        await store.StartShardAsync(run.Id, 0, "worker-3", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        await store.FinishShardAsync(run.Id, 1, "succeeded", null, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        var final = await store.FinishShardAsync(run.Id, 0, "succeeded", null, CancellationToken.None);

        var attempts = await store.ShardAttemptsAsync(run.Id, CancellationToken.None);
        Assert.Equal(
            [
                new ShardAttempt(run.Id, 0, 1, "worker-1", T0, null, null),
                new ShardAttempt(run.Id, 1, 1, "worker-2", T0.AddSeconds(1), T0.AddSeconds(15), "succeeded"),
                new ShardAttempt(run.Id, 0, 2, "worker-3", T0.AddSeconds(10), T0.AddSeconds(20), "succeeded"),
            ],
            attempts);
        Assert.Equal(RunStatus.Succeeded, final);
        var shards = await store.ShardsAsync(run.Id, CancellationToken.None);
        Assert.Equal(("worker-3", 2), (shards[0].Owner, shards[0].Attempts));
    }

    [Fact]
    public async Task StartShardAsync_RunCancelled_RecordsNoAttempt()
    {
        var (store, _) = await CreateSutAsync();
        await using var __ = store;
        var run = Run(shards: 1);
        await store.CreateRunAsync(run, CancellationToken.None);
        Assert.True(await store.RequestCancelAsync(run.Id, CancellationToken.None));

        var started = await store.StartShardAsync(run.Id, 0, "worker-1", CancellationToken.None);

        Assert.Equal(RunStatus.Cancelling, started?.Status);
        Assert.Empty(await store.ShardAttemptsAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task TryClaimShardAsync_ShardHeldByALiveWorker_AnotherWorkerGetsItOnlyOnceReleased()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = RunStore.Postgres(database, TimeProvider.System);
        await using var second = RunStore.Postgres(database, TimeProvider.System);

        var held = await first.TryClaimShardAsync("run-1", 0, CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await second.TryClaimShardAsync("run-1", 0, CancellationToken.None));
        await using (var otherShard = await second.TryClaimShardAsync("run-1", 1, CancellationToken.None))
        {
            Assert.NotNull(otherShard);
        }

        await held.DisposeAsync();
        await using var taken = await second.TryClaimShardAsync("run-1", 0, CancellationToken.None);
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task TryTakeSessionSlotAsync_CapOneAndTwoWorkers_SecondGetsNoneUntilTheFirstGivesItBack()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = RunStore.Postgres(database, TimeProvider.System);
        await using var second = RunStore.Postgres(database, TimeProvider.System);
        var a = (await first.TryClaimShardAsync("run-1", 0, CancellationToken.None))!;
        await using var b = (await second.TryClaimShardAsync("run-1", 1, CancellationToken.None))!;
        await using var c = (await second.TryClaimShardAsync("run-2", 0, CancellationToken.None))!;

        Assert.True(await a.TryTakeSessionSlotAsync("mock", 1, CancellationToken.None));
        Assert.False(await b.TryTakeSessionSlotAsync("mock", 1, CancellationToken.None));
        Assert.True(await c.TryTakeSessionSlotAsync("other", 1, CancellationToken.None));

        await a.DisposeAsync();
        Assert.True(await b.TryTakeSessionSlotAsync("mock", 1, CancellationToken.None));
    }

    [Fact]
    public async Task TryClaimShardAsync_HolderConnectionDies_ClaimAndSlotAreFreed()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var first = RunStore.Postgres(database, TimeProvider.System);
        await using var second = RunStore.Postgres(database, TimeProvider.System);
        var held = (await first.TryClaimShardAsync("run-1", 0, CancellationToken.None))!;
        Assert.True(await held.TryTakeSessionSlotAsync("mock", 1, CancellationToken.None));

        // What a worker killed with SIGKILL leaves: its connections drop, and the server ends their sessions.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted LIMIT 1", connection);
            Assert.Equal(true, await kill.ExecuteScalarAsync());
        }

        ShardClaim? taken = null;
        for (var i = 0; i < 50 && taken is null; i++)
        {
            await Task.Delay(100);
            taken = await second.TryClaimShardAsync("run-1", 0, CancellationToken.None);
        }
        Assert.NotNull(taken);
        await using (taken)
        {
            Assert.True(await taken.TryTakeSessionSlotAsync("mock", 1, CancellationToken.None));
        }
        await held.DisposeAsync(); // the locks went with the connection: giving them back is not an error
    }
}
