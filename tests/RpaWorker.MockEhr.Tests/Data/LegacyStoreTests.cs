using Microsoft.Data.Sqlite;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Generate;
using RpaWorker.MockEhr.Tests.Generate;

namespace RpaWorker.MockEhr.Tests.Data;

public sealed class LegacyStoreTests : IDisposable
{
    private const int Seed = 2026;
    private readonly string _tempDir = Path.Combine(Path.GetTempPath(), "mockehr-store-" + Guid.NewGuid().ToString("N"));

    private static LegacyStore CreateSut(int generated = 30, params LegacyPatient[] extra)
    {
        var store = LegacyStore.InMemory();
        foreach (var chart in ChartGenerator.Generate(generated, Seed))
        {
            store.AddChart(chart);
        }
        foreach (var patient in extra)
        {
            store.AddChart(new LegacyChart { Patient = patient });
        }
        return store;
    }

    private static LegacyPatient Patient(string mrn, string last, string first, string? birthDate = "1970-01-01") =>
        new() { Mrn = mrn, LastName = last, FirstName = first, BirthDate = birthDate, Sex = "U" };

    private static LegacyPatient Generated(int index) => ChartGenerator.Generate(index + 1, Seed).Last().Patient;

    public void Dispose()
    {
        // Pooled connections keep the file open; release them so the folder can go.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_tempDir))
        {
            Directory.Delete(_tempDir, recursive: true);
        }
    }

    [Theory]
    [InlineData("SMITH")]
    [InlineData("smith")]
    [InlineData("Smi")]
    public void SearchPatients_LastNamePrefixAnyCase_FindsBothSmithJohns(string query)
    {
        using var store = CreateSut();

        var found = store.SearchPatients(query, null, null);

        var mrns = found.Select(p => p.Mrn).ToList();
        Assert.Contains(Generated(GeneratorCases.DuplicateNameFirst).Mrn, mrns);
        Assert.Contains(Generated(GeneratorCases.DuplicateNameSecond).Mrn, mrns);
        Assert.All(found, p => Assert.True(
            p.LastName.StartsWith(query, StringComparison.OrdinalIgnoreCase) || p.FirstName.StartsWith(query, StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("SMITH, JOHN")]
    [InlineData("Smith,John")]
    [InlineData("JOHN SMITH")]
    [InlineData("john smith")]
    public void SearchPatients_LastCommaFirstOrFirstSpaceLast_FindsExactlyTheTwoSmithJohns(string query)
    {
        using var store = CreateSut(extra: Patient("0000001", "Smithers", "Joan"));

        var found = store.SearchPatients(query, null, null);

        Assert.Equal(2, found.Count);
        Assert.All(found, p => Assert.Equal(("Smith", "John"), (p.LastName, p.FirstName)));
        Assert.NotEqual(found[0].Mrn, found[1].Mrn);
        Assert.NotEqual(found[0].BirthDate, found[1].BirthDate);
    }

    [Fact]
    public void SearchPatients_ApostropheName_FindsThePatient()
    {
        using var store = CreateSut();
        var patient = Generated(GeneratorCases.ApostropheName);

        var found = store.SearchPatients($"{patient.LastName}, {patient.FirstName}", null, null);

        Assert.Contains(found, p => p.Mrn == patient.Mrn);
    }

    [Theory]
    [InlineData("Núñez", "NÚÑEZ")]
    [InlineData("Çelik", "Çelik")]
    [InlineData("Çelik", "ÇELIK")]
    [InlineData("Nguyễn", "nguyễn")]
    public void SearchPatients_NonAsciiNameAsTyped_FindsThePatient(string stored, string typed)
    {
        using var store = CreateSut(0, Patient("0000002", stored, "Ana"), Patient("0000003", "Nunez", "Ana"));

        var found = store.SearchPatients(typed, null, null);

        Assert.Equal("0000002", Assert.Single(found).Mrn);
    }

    [Fact]
    public void SearchPatients_Mrn_FindsOnlyThatPatient()
    {
        using var store = CreateSut();
        var patient = Generated(13);

        var found = store.SearchPatients(null, patient.Mrn, null);

        Assert.Equal(patient.Mrn, Assert.Single(found).Mrn);
        Assert.Empty(store.SearchPatients(null, patient.Mrn[..6], null));
    }

    [Fact]
    public void SearchPatients_IsoBirthDate_FindsPatientsBornThatDay()
    {
        using var store = CreateSut(extra: Patient("0000004", "Twin", "Other", Generated(14).BirthDate));
        var patient = Generated(14);

        var found = store.SearchPatients(null, null, patient.BirthDate);

        Assert.Equal(2, found.Count);
        Assert.Contains(found, p => p.Mrn == patient.Mrn);
        Assert.All(found, p => Assert.Equal(patient.BirthDate, p.BirthDate));
    }

    [Fact]
    public void SearchPatients_NameAndBirthDate_TellsTheTwoSmithJohnsApart()
    {
        using var store = CreateSut();
        var second = Generated(GeneratorCases.DuplicateNameSecond);

        var found = store.SearchPatients("SMITH, JOHN", null, second.BirthDate);

        Assert.Equal(second.Mrn, Assert.Single(found).Mrn);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("%, %")]
    [InlineData("% %")]
    [InlineData("Sm_th")]
    [InlineData("\\")]
    public void SearchPatients_WildcardCharacters_MatchOnlyLiterally(string query)
    {
        using var store = CreateSut();

        var found = store.SearchPatients(query, null, null);

        Assert.Empty(found);
    }

    [Fact]
    public void SearchPatients_NoCriteria_ReturnsEveryone()
    {
        using var store = CreateSut(25);

        Assert.Equal(25, store.SearchPatients(" ", null, "").Count);
    }

    [Fact]
    public void ListPatients_MixedCaseNames_OrderedByLastThenFirstIgnoringCase()
    {
        using var store = CreateSut(0,
            Patient("0000010", "baker", "Zoe"),
            Patient("0000011", "Adams", "Yvonne"),
            Patient("0000012", "BAKER", "amy"),
            Patient("0000013", "adams", "Bob"),
            Patient("0000014", "Baker", "Amy"));

        var listed = store.ListPatients().Select(p => p.Mrn);

        // Same name twice (0000012, 0000014) falls back to the order they were added.
        Assert.Equal(["0000013", "0000011", "0000012", "0000014", "0000010"], listed);
    }

    [Fact]
    public void ListPatients_GeneratedPatients_ListsEveryoneInNameOrder()
    {
        using var store = CreateSut(40);

        var listed = store.ListPatients();

        Assert.Equal(40, listed.Count);
        var names = listed.Select(p => $"{p.LastName.ToLowerInvariant()}, {p.FirstName.ToLowerInvariant()}").ToList();
        var expected = listed.OrderBy(p => p.LastName.ToLowerInvariant(), StringComparer.Ordinal)
            .ThenBy(p => p.FirstName.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(p => $"{p.LastName.ToLowerInvariant()}, {p.FirstName.ToLowerInvariant()}");
        Assert.Equal(expected, names);
    }

    [Fact]
    public void GetPatientByMrn_UnknownMrn_ReturnsNull()
    {
        using var store = CreateSut(5);

        Assert.Null(store.GetPatientByMrn("0000000"));
        Assert.Null(store.GetChart(123_456));
    }

    [Fact]
    public void OpenFile_Reopened_KeepsTheCharts()
    {
        var path = Path.Combine(_tempDir, "nested", "mock.db");
        var charts = ChartGenerator.Generate(GeneratorCases.FirstOrdinaryIndex, Seed).ToList();
        var ids = new List<long>();
        using (var store = LegacyStore.OpenFile(path))
        {
            ids.AddRange(charts.Select(c => store.AddChart(c).Patient.Id));
        }
        SqliteConnection.ClearAllPools();

        using var reopened = LegacyStore.OpenFile(path);

        Assert.Equal(charts.Count, reopened.CountPatients());
        Assert.All(charts.Zip(ids), pair => Assert.Equal(
            ChartAssert.Canonical(ChartAssert.WithoutIds(pair.First)),
            ChartAssert.Canonical(ChartAssert.WithoutIds(reopened.GetChart(pair.Second)!))));
        Assert.True(reopened.MrnExists(charts[0].Patient.Mrn));
    }
}
