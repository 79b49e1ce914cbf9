using Microsoft.Extensions.Time.Testing;

namespace RpaWorker.Publishing.Tests.Sqlite;

public sealed class SqliteSinkTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _dir.Dispose();

    private SqliteSink CreateSut() => new(_dir.File("store/local.db"), _time);

    [Fact]
    public async Task PublishAsync_NewResource_StoresItAsVersionOne()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1")], default);

        var stored = await sut.GetAsync("Patient", "p1", default);
        Assert.Equal(new StoredResource("Patient", "p1", Resources.Patient("p1").Json, 1, Start), stored);
        Assert.Null(await sut.GetAsync("Patient", "p2", default));
    }

    [Fact]
    public async Task PublishAsync_SameJsonAgain_KeepsVersionAndLastUpdated()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([Resources.Patient("p1")], default);
        _time.Advance(TimeSpan.FromHours(1));

        await sut.PublishAsync([Resources.Patient("p1")], default);

        var stored = await sut.GetAsync("Patient", "p1", default);
        Assert.Equal(1, stored!.VersionId);
        Assert.Equal(Start, stored.LastUpdated);
    }

    [Fact]
    public async Task PublishAsync_ChangedJson_ReplacesItAndBumpsVersion()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([Resources.Patient("p1")], default);
        _time.Advance(TimeSpan.FromHours(1));

        await sut.PublishAsync([Resources.Patient("p1", family: "Roe")], default);

        var stored = await sut.GetAsync("Patient", "p1", default);
        Assert.Equal(new StoredResource("Patient", "p1", Resources.Patient("p1", family: "Roe").Json, 2, Start.AddHours(1)), stored);
        Assert.Equal(1, await sut.CountAsync("Patient", default));
    }

    [Fact]
    public async Task PublishAsync_StoreReopened_KeepsResourcesAndVersions()
    {
        await using (var first = CreateSut())
        {
            await first.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1")], default);
            await first.PublishAsync([Resources.Condition("c1", code: "44054006")], default);
        }

        await using var second = CreateSut();
        await second.PublishAsync([Resources.Patient("p1")], default);

        Assert.Equal(1, (await second.GetAsync("Patient", "p1", default))!.VersionId);
        Assert.Equal(2, (await second.GetAsync("Condition", "c1", default))!.VersionId);
        Assert.Equal(2, await second.CountAsync(null, default));
    }

    [Fact]
    public async Task CountAsync_ByTypeAndOverall_CountsDistinctResources()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1"), Resources.Condition("c2")], default);
        await sut.PublishAsync([Resources.Condition("c2"), Resources.Condition("c3")], default);

        Assert.Equal(1, await sut.CountAsync("Patient", default));
        Assert.Equal(3, await sut.CountAsync("Condition", default));
        Assert.Equal(0, await sut.CountAsync("Observation", default));
        Assert.Equal(4, await sut.CountAsync(null, default));
    }

    [Fact]
    public async Task SearchAsync_Pages_ReturnsEveryResourceOnceInIdOrder()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([.. new[] { "c5", "c1", "c4", "c2", "c3" }.Select(id => Resources.Condition(id)), Resources.Patient("p1")], default);

        var first = await sut.SearchAsync("Condition", 2, null, default);
        var second = await sut.SearchAsync("Condition", 2, first[^1].Id, default);
        var third = await sut.SearchAsync("Condition", 2, second[^1].Id, default);

        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], first.Concat(second).Concat(third).Select(r => r.Id));
        Assert.Single(third);
    }

    [Fact]
    public async Task PublishAsync_ConcurrentPublishers_StoresEveryResource()
    {
        await using var sut = CreateSut();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await sut.PublishAsync([Resources.Patient($"p{worker}-{i}")], default);
            }
        })));

        Assert.Equal(40, await sut.CountAsync("Patient", default));
    }
}
