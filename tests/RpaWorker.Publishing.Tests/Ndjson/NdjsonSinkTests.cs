using System.Text;
using System.Text.Json;

namespace RpaWorker.Publishing.Tests.Ndjson;

public sealed class NdjsonSinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private NdjsonSink CreateSut() => new(_dir.Path);

    private string[] Lines(string type) => File.ReadAllText(_dir.File(type + ".ndjson")).Split('\n')[..^1];

    [Fact]
    public async Task PublishAsync_TwoTypes_WritesOneFilePerTypeWithOneLinePerId()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1"), Resources.Condition("c2"), Resources.Patient("p2")], default);

        Assert.Equal(["Condition.ndjson", "Patient.ndjson"], Directory.GetFiles(_dir.Path).Select(f => Path.GetFileName(f)).Order());
        Assert.Equal([Resources.Patient("p1").Json, Resources.Patient("p2").Json], Lines("Patient"));
        Assert.Equal([Resources.Condition("c1").Json, Resources.Condition("c2").Json], Lines("Condition"));
    }

    [Fact]
    public async Task PublishAsync_Output_IsUtf8WithoutBomWithLfEndedJsonLines()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1", family: "Müller"), Resources.Patient("p2")], default);

        var bytes = File.ReadAllBytes(_dir.File("Patient.ndjson"));
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.DoesNotContain((byte)'\r', bytes);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n')[..^1];
        Assert.Equal(["p1", "p2"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
        Assert.Contains("Müller", lines[0]);
    }

    [Fact]
    public async Task PublishAsync_SameBatchAgain_LeavesFilesByteIdentical()
    {
        PublishedResource[] batch = [Resources.Patient("p1"), Resources.Condition("c1"), Resources.Condition("c2")];
        await using var sut = CreateSut();
        await sut.PublishAsync(batch, default);
        var patients = File.ReadAllBytes(_dir.File("Patient.ndjson"));
        var conditions = File.ReadAllBytes(_dir.File("Condition.ndjson"));

        await sut.PublishAsync(batch, default);

        Assert.Equal(patients, File.ReadAllBytes(_dir.File("Patient.ndjson")));
        Assert.Equal(conditions, File.ReadAllBytes(_dir.File("Condition.ndjson")));
    }

    [Fact]
    public async Task PublishAsync_ChangedResource_ReplacesItsLineInPlace()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([Resources.Condition("c1"), Resources.Condition("c2"), Resources.Condition("c3")], default);

        await sut.PublishAsync([Resources.Condition("c2", code: "44054006"), Resources.Condition("c4")], default);

        Assert.Equal(
            [Resources.Condition("c1").Json, Resources.Condition("c2", code: "44054006").Json, Resources.Condition("c3").Json, Resources.Condition("c4").Json],
            Lines("Condition"));
        Assert.False(File.Exists(_dir.File("Condition.ndjson.tmp")));
    }

    [Fact]
    public async Task PublishAsync_SameIdTwiceInOneBatch_KeepsTheLastOnce()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1", family: "Old"), Resources.Patient("p1", family: "New")], default);

        Assert.Equal([Resources.Patient("p1", family: "New").Json], Lines("Patient"));
    }

    [Fact]
    public async Task PublishAsync_SecondSinkOnSameFolder_MergesWithoutDuplicates()
    {
        await using (var first = CreateSut())
        {
            await first.PublishAsync([Resources.Patient("p1"), Resources.Patient("p2")], default);
        }

        await using (var second = CreateSut())
        {
            await second.PublishAsync([Resources.Patient("p2", family: "Roe"), Resources.Patient("p3"), Resources.Patient("p1")], default);
        }

        Assert.Equal(
            [Resources.Patient("p1").Json, Resources.Patient("p2", family: "Roe").Json, Resources.Patient("p3").Json],
            Lines("Patient"));
    }

    [Fact]
    public async Task PublishAsync_FileEndingInAHalfWrittenLine_DropsItAndKeepsTheFileReadable()
    {
        File.WriteAllText(_dir.File("Patient.ndjson"), Resources.Patient("p1").Json + "\n" + """{"resourceType":"Patient","id":"p2","na""");
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p3")], default);

        Assert.Equal([Resources.Patient("p1").Json, Resources.Patient("p3").Json], Lines("Patient"));
    }

    [Fact]
    public async Task PublishAsync_FourConcurrentPublishers_LosesNothing()
    {
        await using var sut = CreateSut();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await sut.PublishAsync([Resources.Patient($"p{worker}-{i}"), Resources.Condition($"c{worker}-{i}")], default);
            }
        })));

        var all = NdjsonSink.ReadAll(_dir.Path);
        Assert.Equal(100, all.Count(r => r.ResourceType == "Patient"));
        Assert.Equal(100, all.Count(r => r.ResourceType == "Condition"));
        Assert.Equal(200, all.Select(r => (r.ResourceType, r.Id)).Distinct().Count());
        Assert.Equal(100, Lines("Patient").Length);
    }

    [Fact]
    public async Task ReadAll_PublishedFolder_ReturnsTypeIdAndJsonOfEachLine()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1")], default);

        var all = NdjsonSink.ReadAll(_dir.Path);

        Assert.Equal([Resources.Condition("c1"), Resources.Patient("p1")], all);
    }

    [Fact]
    public async Task PublishAsync_TypeThatIsNotAFhirName_ThrowsWithoutWritingOutsideTheFolder()
    {
        await using var sut = CreateSut();

        var ex = await Assert.ThrowsAsync<RpaWorkerException>(() =>
            sut.PublishAsync([new PublishedResource("../Patient", "p1", Resources.Patient("p1").Json)], default));

        Assert.DoesNotContain("../", ex.Message);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_dir.Path)!, "Patient.ndjson"));
    }

    [Fact]
    public async Task PublishAsync_JsonIdDiffersFromPublishedId_ThrowsAndWritesNothing()
    {
        await using var sut = CreateSut();

        var ex = await Assert.ThrowsAsync<RpaWorkerException>(() =>
            sut.PublishAsync([Resources.Condition("c1"), new PublishedResource("Patient", "p1", Resources.Patient("p2").Json)], default));

        Assert.Contains("Patient/p1", ex.Message);
        Assert.Empty(NdjsonSink.ReadAll(_dir.Path));
    }

    [Fact]
    public async Task PublishAsync_PrettyPrintedJson_IsWrittenOnOneLine()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([new PublishedResource("Patient", "p1", "{\n  \"resourceType\": \"Patient\",\n  \"id\": \"p1\"\n}")], default);

        Assert.Equal(["""{"resourceType":"Patient","id":"p1"}"""], Lines("Patient"));
    }
}
