using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace RpaWorker.Publishing.Tests.Sqlite;

public sealed class SqliteSinkSearchTests : IDisposable
{
    private const string Mrn = "urn:example:mrn";
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _dir.Dispose();

    private SqliteSink CreateSut() => new(_dir.File("store/local.db"), _time);

    private static PublishedResource Patient(string id, string family, string given, string birthDate, string mrn) =>
        new("Patient", id, $$"""
            {"resourceType":"Patient","id":"{{id}}","identifier":[{"system":"{{Mrn}}","value":"{{mrn}}"},{"value":"local-{{mrn}}"}],"name":[{"family":"{{family}}","given":["{{given}}","Q"]}],"birthDate":"{{birthDate}}"}
            """);

    private static PublishedResource Observation(string id, string subject) =>
        new("Observation", id, $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"final","subject":{"reference":"{{{subject}}}"}}""");

    private static PublishedResource Allergy(string id, string patient) =>
        new("AllergyIntolerance", id, $$$"""{"resourceType":"AllergyIntolerance","id":"{{{id}}}","patient":{"reference":"{{{patient}}}"}}""");

    private static PublishedResource Provenance(string id, params string[] targets) =>
        new("Provenance", id, $$"""{"resourceType":"Provenance","id":"{{id}}","target":[{{string.Join(',', targets.Select(t => $$"""{"reference":"{{t}}"}"""))}}]}""");

    private async Task<SqliteSink> CreateFilledAsync()
    {
        var sut = CreateSut();
        await sut.PublishAsync(
        [
            Patient("p1", "Wyman", "Alfreda", "1980-04-12", "100001"),
            Patient("p2", "Wymann", "Bert", "1980-04-12", "100002"),
            Patient("p3", "Schaden", "Andy", "1975-11-30", "100003"),
            Observation("o1", "Patient/p1"),
            Observation("o2", "http://other.example/fhir/Patient/p1/_history/3"),
            Observation("o3", "Patient/p2"),
            Observation("o4", "Group/g1"),
            Allergy("a1", "Patient/p1"),
            Provenance("prov1", "Patient/p1", "Observation/o1"),
        ], default);
        return sut;
    }

    private static async Task<string[]> Ids(SqliteSink sut, StoreQuery query) =>
        [.. (await sut.QueryAsync(query, default)).Select(r => r.Id)];

    [Fact]
    public async Task QueryAsync_ByPatient_FindsSubjectAndPatientReferencesRelativeOrAbsolute()
    {
        await using var sut = await CreateFilledAsync();
        var p1 = new StoreCondition(StoreParameters.Patient, [StoreMatch.Exact("Patient/p1")]);

        Assert.Equal(["o1", "o2"], await Ids(sut, new StoreQuery("Observation") { Conditions = [p1] }));
        Assert.Equal(["a1"], await Ids(sut, new StoreQuery("AllergyIntolerance") { Conditions = [p1] }));
        Assert.Equal(["p1"], await Ids(sut, new StoreQuery("Patient") { Conditions = [p1] }));
    }

    [Fact]
    public async Task QueryAsync_ByIdentifier_MatchesSystemAndValueOrValueAlone()
    {
        await using var sut = await CreateFilledAsync();

        Assert.Equal(["p2"], await Ids(sut, new StoreQuery("Patient") { Conditions = [new(StoreParameters.Identifier, [StoreMatch.Exact("100002", Mrn)])] }));
        Assert.Equal(["p2"], await Ids(sut, new StoreQuery("Patient") { Conditions = [new(StoreParameters.Identifier, [StoreMatch.Exact("100002")])] }));
        Assert.Empty(await Ids(sut, new StoreQuery("Patient") { Conditions = [new(StoreParameters.Identifier, [StoreMatch.Exact("100002", "urn:other")])] }));
        Assert.Equal(["p3"], await Ids(sut, new StoreQuery("Patient") { Conditions = [new(StoreParameters.Identifier, [StoreMatch.Exact("local-100003", "")])] }));
    }

    [Fact]
    public async Task QueryAsync_ByNamePrefixAndBirthDate_IgnoresCaseAndCombinesConditions()
    {
        await using var sut = await CreateFilledAsync();
        var wym = new StoreCondition(StoreParameters.Name, [StoreMatch.Prefix("WYM")]);
        var born = new StoreCondition(StoreParameters.BirthDate, [StoreMatch.Exact("1980-04-12")]);
        var alfreda = new StoreCondition(StoreParameters.Given, [StoreMatch.Prefix("alf")]);

        Assert.Equal(["p1", "p2"], await Ids(sut, new StoreQuery("Patient") { Conditions = [wym, born] }));
        Assert.Equal(["p1"], await Ids(sut, new StoreQuery("Patient") { Conditions = [wym, born, alfreda] }));
        Assert.Equal(["p1", "p2", "p3"], await Ids(sut, new StoreQuery("Patient")
        {
            Conditions = [new(StoreParameters.BirthDate, [StoreMatch.Between("1975-01-01", "1981-01-01")])],
        }));
    }

    [Fact]
    public async Task QueryAsync_AnyOfMatches_IsAnOr()
    {
        await using var sut = await CreateFilledAsync();
        var either = new StoreCondition(StoreParameters.Family, [StoreMatch.Exact("schaden"), StoreMatch.Exact("wymann")]);

        Assert.Equal(["p2", "p3"], await Ids(sut, new StoreQuery("Patient") { Conditions = [either] }));
    }

    [Fact]
    public async Task QueryAsync_ProvenanceByTarget_FindsTheProvenanceOfEachTarget()
    {
        await using var sut = await CreateFilledAsync();

        Assert.Equal(["prov1"], await Ids(sut, new StoreQuery("Provenance") { Conditions = [new(StoreParameters.Target, [StoreMatch.Exact("Observation/o1")])] }));
        Assert.Empty(await Ids(sut, new StoreQuery("Provenance") { Conditions = [new(StoreParameters.Target, [StoreMatch.Exact("Observation/o3")])] }));
    }

    [Fact]
    public async Task QueryAsync_LastUpdatedRange_ReturnsOnlyResourcesChangedInIt()
    {
        await using var sut = await CreateFilledAsync();
        _time.Advance(TimeSpan.FromMinutes(5));
        var changedAt = _time.GetUtcNow();
        await sut.PublishAsync([Observation("o3", "Patient/p3"), Observation("o1", "Patient/p1")], default);

        Assert.Equal(["o3"], await Ids(sut, new StoreQuery("Observation") { UpdatedFrom = Start.AddTicks(1) }));
        Assert.Equal(["o1", "o2", "o4"], await Ids(sut, new StoreQuery("Observation") { UpdatedBefore = changedAt }));
        Assert.Equal(1, await sut.CountMatchesAsync(new StoreQuery("Observation") { UpdatedFrom = changedAt }, default));
    }

    [Fact]
    public async Task PublishAsync_ChangedReference_MovesTheResourceInTheIndex()
    {
        await using var sut = await CreateFilledAsync();

        await sut.PublishAsync([Observation("o1", "Patient/p3")], default);

        var p3 = new StoreCondition(StoreParameters.Patient, [StoreMatch.Exact("Patient/p3")]);
        var p1 = new StoreCondition(StoreParameters.Patient, [StoreMatch.Exact("Patient/p1")]);
        Assert.Equal(["o1"], await Ids(sut, new StoreQuery("Observation") { Conditions = [p3] }));
        Assert.Equal(["o2"], await Ids(sut, new StoreQuery("Observation") { Conditions = [p1] }));
    }

    [Fact]
    public async Task QueryAsync_KeysetPages_ReturnEveryMatchOnce()
    {
        await using var sut = CreateSut();
        await sut.PublishAsync([.. Enumerable.Range(0, 7).Select(i => Observation($"o{i}", i % 2 == 0 ? "Patient/p1" : "Patient/p2"))], default);
        var query = new StoreQuery("Observation") { Conditions = [new(StoreParameters.Patient, [StoreMatch.Exact("Patient/p1")])], Limit = 3 };

        var first = await sut.QueryAsync(query, default);
        var second = await sut.QueryAsync(query with { AfterId = first[^1].Id }, default);

        Assert.Equal(["o0", "o2", "o4", "o6"], first.Concat(second).Select(r => r.Id));
        Assert.Equal(4, await sut.CountMatchesAsync(query, default));
    }

    [Fact]
    public async Task GetLastPublishedAsync_UnchangedRepublish_MovesOnButLastUpdatedDoesNot()
    {
        await using var sut = await CreateFilledAsync();
        _time.Advance(TimeSpan.FromHours(2));

        await sut.PublishAsync([Patient("p1", "Wyman", "Alfreda", "1980-04-12", "100001")], default);

        Assert.Equal(Start.AddHours(2), await sut.GetLastPublishedAsync("Patient", "p1", default));
        Assert.Equal(Start, (await sut.GetAsync("Patient", "p1", default))!.LastUpdated);
        Assert.Equal(Start, await sut.GetLastPublishedAsync("Patient", "p2", default));
        Assert.Null(await sut.GetLastPublishedAsync("Patient", "nobody", default));
    }

    [Fact]
    public async Task GetIndexValuesAsync_Patient_ListsIdentifiersWithTheirSystems()
    {
        await using var sut = await CreateFilledAsync();

        var identifiers = await sut.GetIndexValuesAsync("Patient", "p1", StoreParameters.Identifier, default);

        Assert.Equal([new StoreIndexValue("", "local-100001"), new StoreIndexValue(Mrn, "100001")], identifiers);
        Assert.Equal([new StoreIndexValue("", "Patient/p1")], await sut.GetIndexValuesAsync("Observation", "o2", StoreParameters.Patient, default));
    }

    [Fact]
    public async Task PublishAsync_JsonThatDoesNotParse_RejectsTheWholeBatch()
    {
        await using var sut = CreateSut();

        var error = await Assert.ThrowsAsync<RpaWorkerException>(() => sut.PublishAsync(
            [Observation("o1", "Patient/p1"), new PublishedResource("Observation", "o2", "{\"resourceType\":")], default));

        Assert.Contains("Observation/o2", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await sut.CountAsync(resourceType: null, default));
    }

    [Fact]
    public async Task Constructor_DatabaseOfTheFirstSchema_AddsTheIndexFromStoredJson()
    {
        var path = _dir.File("store/old.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $$"""
                CREATE TABLE resource (type TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, version_id INTEGER NOT NULL,
                    last_updated TEXT NOT NULL, PRIMARY KEY (type, id)) WITHOUT ROWID;
                INSERT INTO resource VALUES ('Observation', 'o1', '{{Observation("o1", "Patient/p9").Json}}', 3, '2025-06-01T00:00:00.0000000+00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var sut = new SqliteSink(path, _time);

        var found = await sut.QueryAsync(new StoreQuery("Observation") { Conditions = [new(StoreParameters.Patient, [StoreMatch.Exact("Patient/p9")])] }, default);
        Assert.Equal(3, Assert.Single(found).VersionId);
        Assert.Equal(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), await sut.GetLastPublishedAsync("Observation", "o1", default));
    }
}
