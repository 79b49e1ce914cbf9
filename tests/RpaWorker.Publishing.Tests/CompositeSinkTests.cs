namespace RpaWorker.Publishing.Tests;

public sealed class CompositeSinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PublishAsync_NdjsonAndSqlite_BothHoldTheBatch()
    {
        var sqlite = new SqliteSink(_dir.File("local.db"));
        await using var sut = new CompositeSink(new NdjsonSink(_dir.File("out")), sqlite);

        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1")], default);

        Assert.Equal("ndjson+sqlite", sut.Name);
        Assert.Equal(2, NdjsonSink.ReadAll(_dir.File("out")).Count);
        Assert.Equal(2, await sqlite.CountAsync(null, default));
    }
}
