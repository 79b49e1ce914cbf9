using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using RpaWorker.Connectors;
using RpaWorker.Fhir;
using RpaWorker.Host.Tests.FhirApi.Support;
using RpaWorker.Publishing;

namespace RpaWorker.Host.Tests.FhirApi;

/// <summary>
/// The canonical connector contract, written once: every test runs against the store connector itself and against the
/// plain FHIR API connector pointed at this worker's own <c>/fhir</c> surface over that store connector. The store
/// holds three real charts (Synthea through the mock EHR), so both must agree with what the store holds.
/// </summary>
public abstract class ClinicalConnectorContract(ImportedCharts synthea) : IAsyncLifetime
{
    // A guard against a hang, not a speed goal: under a loaded CI machine an export's kick-off alone has taken 30 s.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private protected StoreWorld World { get; private set; } = null!;

    private protected IClinicalConnector Sut { get; private set; } = null!;

    private protected IReadOnlyList<Chart> Charts => synthea.Charts;

    public async Task InitializeAsync()
    {
        World = await StoreWorld.CreateAsync(synthea.Charts);
        Sut = await CreateConnectorAsync(World);
    }

    public virtual async Task DisposeAsync() => await World.DisposeAsync();

    private protected abstract Task<IClinicalConnector> CreateConnectorAsync(StoreWorld world);

    [Fact]
    public async Task GetCapabilitiesAsync_StoredTypes_DeclareTheirSearchParametersAndFreshness()
    {
        var capabilities = FhirAssert.Ok(await Sut.GetCapabilitiesAsync(default));

        Assert.Equal(
            ["Patient", "AllergyIntolerance", "Condition", "Encounter", "Immunization", "MedicationRequest", "Observation", "Provenance"],
            capabilities.Resources.Select(r => r.ResourceType));
        var patient = capabilities.Find("Patient")!;
        Assert.All(new[] { "identifier", "name", "family", "given", "birthdate", "_id", "_lastUpdated" }, p => Assert.True(patient.Supports(p), p));
        Assert.Equal(SearchParameterType.Date, patient.SearchParameters.Single(p => p.Name == "birthdate").Type);
        Assert.True(capabilities.Find("Observation")!.Supports("patient") && capabilities.Find("Observation")!.Supports("subject"));
        Assert.True(capabilities.Find("AllergyIntolerance")!.Supports("patient"));
        Assert.False(capabilities.Find("AllergyIntolerance")!.Supports("subject"));
        Assert.Equal(new FreshnessPolicy(TimeSpan.FromHours(4), true), capabilities.Find("Observation")!.Freshness);
        Assert.Equal(new FreshnessPolicy(TimeSpan.FromHours(24), true), patient.Freshness);
        Assert.False(capabilities.Find("Provenance")!.Freshness.RefreshOnDemand);
        Assert.Contains("Provenance:target", capabilities.Find("Condition")!.RevIncludes);
        Assert.True(capabilities.SystemExport && capabilities.PatientExport && capabilities.ChangeStream);
    }

    [Fact]
    public async Task ReadAsync_StoredPatient_ReturnsItWithTheStoreVersionTimeAndProvenance()
    {
        var chart = Charts[0];
        var stored = (await World.Store.GetAsync("Patient", chart.PatientId, default))!;

        var read = FhirAssert.Ok(await Sut.ReadAsync(new ReadRequest("Patient", chart.PatientId), default));

        FhirAssert.SameContent(stored.Json, read.Resource.Json);
        Assert.Equal("1", read.Resource.VersionId);
        Assert.Equal(stored.LastUpdated, read.Resource.LastUpdated);
        var meta = FhirAssert.Parse(read.Resource.Json).Meta!;
        Assert.Equal(("1", stored.LastUpdated), (meta.VersionId, meta.LastUpdated));
        var provenance = (Provenance)FhirAssert.Parse(Assert.Single(read.Provenance).Json);
        Assert.Contains(provenance.Target, t => t.Reference == chart.Reference);
    }

    [Theory]
    [InlineData("Patient", "no-such-patient")]
    [InlineData("Observation", "bad id!")]
    public async Task ReadAsync_IdNotStored_FailsNotFound(string type, string id)
    {
        FhirAssert.Failed(await Sut.ReadAsync(new ReadRequest(type, id), default), ConnectorFailureKind.NotFound);
    }

    [Theory]
    [InlineData("Medication")]
    [InlineData("patient")]
    public async Task ReadAsync_TypeNotServed_FailsUnknownResourceType(string type)
    {
        FhirAssert.Failed(await Sut.ReadAsync(new ReadRequest(type, "x1"), default), ConnectorFailureKind.UnknownResourceType);
    }

    [Fact]
    public async Task SearchAsync_PatientByIdentifier_FindsThatPatientOnly()
    {
        var chart = Charts[1];

        var withSystem = FhirAssert.Ok(await Sut.SearchAsync(Search("Patient", ("identifier", $"{ImportedCharts.MrnSystem}|{chart.Mrn}")), default));
        var valueOnly = FhirAssert.Ok(await Sut.SearchAsync(Search("Patient", ("identifier", chart.Mrn)), default));
        var otherSystem = FhirAssert.Ok(await Sut.SearchAsync(Search("Patient", ("identifier", $"urn:other|{chart.Mrn}")), default));

        Assert.Equal([chart.PatientId], withSystem.Matches.Select(m => m.Id));
        Assert.Equal([chart.PatientId], valueOnly.Matches.Select(m => m.Id));
        Assert.Empty(otherSystem.Matches);
        Assert.Equal(1, withSystem.Total);
    }

    [Fact]
    public async Task SearchAsync_PatientByNameAndBirthDate_FindsThePatient()
    {
        var chart = Charts[2];
        var namePrefix = chart.Family[..3].ToLowerInvariant();

        var found = FhirAssert.Ok(await Sut.SearchAsync(Search("Patient", ("name", namePrefix), ("birthdate", chart.BirthDate)), default));
        var wrongDay = FhirAssert.Ok(await Sut.SearchAsync(Search("Patient", ("family", chart.Family), ("birthdate", "gt" + chart.BirthDate)), default));

        var patient = (Patient)FhirAssert.Parse(Assert.Single(found.Matches).Json);
        Assert.Equal((chart.Family, chart.BirthDate), (patient.Name[0].Family, patient.BirthDate));
        Assert.Empty(wrongDay.Matches);
    }

    [Fact]
    public async Task SearchAsync_ObservationsOfAPatient_PageThroughAllOfThemOnceWithTheirProvenance()
    {
        var chart = Charts.MaxBy(c => c.Resources.Count(r => r is Observation))!;
        var expected = (await World.Store.QueryAsync(new StoreQuery("Observation")
        {
            Conditions = [new StoreCondition(StoreParameters.Patient, [StoreMatch.Exact(chart.Reference)])],
            Limit = 10_000,
        }, default)).ToDictionary(r => r.Id, r => r.Json);
        Assert.True(expected.Count > 14, "The chart should need three pages or more.");

        var request = Search("Observation", ("patient", chart.PatientId)) with { Count = 7 };
        var seen = new List<string>();
        var pages = 0;
        while (true)
        {
            var page = FhirAssert.Ok(await Sut.SearchAsync(request, default));
            pages++;
            Assert.Equal(expected.Count, page.Total);
            Assert.InRange(page.Matches.Count, 1, 7);
            foreach (var match in page.Matches)
            {
                FhirAssert.SameContent(expected[match.Id], match.Json);
                seen.Add(match.Id);
            }

            var provenance = (Provenance)FhirAssert.Parse(Assert.Single(page.Included).Json);
            Assert.All(page.Matches, m => Assert.Contains(provenance.Target, t => t.Reference == m.Reference));
            if (page.NextPageToken is null)
            {
                break;
            }

            request = request with { PageToken = page.NextPageToken };
        }

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal((expected.Count + 6) / 7, pages);
    }

    [Fact]
    public async Task SearchAsync_SubjectAsReference_MatchesTheSameAsPatient()
    {
        var chart = Charts[0];

        var bySubject = FhirAssert.Ok(await Sut.SearchAsync(Search("Condition", ("subject", chart.Reference)) with { Count = 1000 }, default));
        var byPatient = FhirAssert.Ok(await Sut.SearchAsync(Search("Condition", ("patient", chart.PatientId)) with { Count = 1000 }, default));

        Assert.Equal(chart.Resources.OfType<Condition>().Select(c => c.Id).Order(StringComparer.Ordinal), bySubject.Matches.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(bySubject.Matches.Select(m => m.Id), byPatient.Matches.Select(m => m.Id));
    }

    [Fact]
    public async Task SearchAsync_ParameterNotDeclared_FailsUnsupportedNamingIt()
    {
        var failure = FhirAssert.Failed(await Sut.SearchAsync(Search("Observation", ("code", "http://loinc.org|8867-4")), default),
            ConnectorFailureKind.UnsupportedParameter);

        Assert.Equal("code", failure.Parameter);
    }

    [Fact]
    public async Task SearchAsync_BirthDateThatDoesNotParse_FailsInvalidParameter()
    {
        FhirAssert.Failed(await Sut.SearchAsync(Search("Patient", ("birthdate", "yesterday")), default), ConnectorFailureKind.InvalidParameter);
    }

    [Fact]
    public async Task SearchAsync_TypeNotServed_FailsUnknownResourceType()
    {
        FhirAssert.Failed(await Sut.SearchAsync(Search("Medication"), default), ConnectorFailureKind.UnknownResourceType);
    }

    [Fact]
    public async Task ExportAsync_SystemLevel_ExportsEveryStoredResourceOnce()
    {
        var exported = await ExportAsync(new ExportRequest(ExportLevel.System));

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in (await Sut.GetCapabilitiesAsync(default)).Value!.Resources.Select(r => r.ResourceType))
        {
            foreach (var stored in await World.Store.QueryAsync(new StoreQuery(type) { Limit = 100_000 }, default))
            {
                expected.Add($"{type}/{stored.Id}", stored.Json);
            }
        }

        Assert.Equal(Charts.Sum(c => c.Resources.Count + 1), expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), exported.Select(r => r.Reference).Order(StringComparer.Ordinal));
        Assert.All(exported, r => FhirAssert.SameContent(expected[r.Reference], r.Json));
    }

    [Fact]
    public async Task ExportAsync_SinceAndTypes_ExportsOnlyThoseTypesChangedAfterThatTime()
    {
        var chart = Charts[1];
        var since = World.Clock.GetUtcNow();
        World.Clock.Advance(TimeSpan.FromMinutes(3));
        await World.PublishAsync(ImportedCharts.Batch(chart, World.Clock.GetUtcNow()));

        var exported = await ExportAsync(new ExportRequest(ExportLevel.System) { Types = ["Patient", "Observation"], Since = since });

        var expected = chart.Resources.Where(r => r is Patient or Observation).Select(r => $"{r.TypeName}/{r.Id}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), exported.Select(r => r.Reference).Order(StringComparer.Ordinal));
        Assert.All(exported, r => Assert.Equal(("2", World.Clock.GetUtcNow()), (r.VersionId, r.LastUpdated)));
    }

    [Fact]
    public async Task ExportAsync_PatientLevel_ExportsTheCompartmentButNotProvenance()
    {
        var exported = await ExportAsync(new ExportRequest(ExportLevel.Patient));

        Assert.Equal(Charts.Sum(c => c.Resources.Count), exported.Count);
        Assert.DoesNotContain(exported, r => r.ResourceType == "Provenance");
    }

    [Fact]
    public async Task ExportAsync_PatientLevelAskingForProvenance_FailsInvalidParameter()
    {
        var items = new List<ConnectorResult<ConnectorResource>>();
        await foreach (var item in Sut.ExportAsync(new ExportRequest(ExportLevel.Patient) { Types = ["Provenance"] }, default))
        {
            items.Add(item);
        }

        FhirAssert.Failed(Assert.Single(items), ConnectorFailureKind.InvalidParameter);
    }

    [Fact]
    public async Task SubscribeAsync_ResourcePublishedThenChanged_DeliversCreatedThenUpdatedOfThatTypeOnly()
    {
        await using var subscription = FhirAssert.Ok(await Sut.SubscribeAsync(new ChangeFilter { Types = ["Observation"] }, default));
        using var timeout = new CancellationTokenSource(Patience);
        await using var changes = subscription.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        var first = NewObservation("72", Charts[0]);
        await World.PublishAsync([FhirJson.ToPublished(Charts[0].Patient), first]);
        Assert.True(await changes.MoveNextAsync());
        var created = changes.Current;
        World.Clock.Advance(TimeSpan.FromSeconds(30));
        await World.PublishAsync([NewObservation("75", Charts[0])]);
        Assert.True(await changes.MoveNextAsync());
        var updated = changes.Current;

        Assert.Equal((ChangeKind.Created, "Observation/test-weight", "1"), (created.Kind, created.Resource.Reference, created.Resource.VersionId));
        FhirAssert.SameContent(first.Json, created.Resource.Json);
        Assert.Equal((ChangeKind.Updated, "2", World.Clock.GetUtcNow()), (updated.Kind, updated.Resource.VersionId, updated.Resource.LastUpdated));
        Assert.Equal(75m, ((Quantity)((Observation)FhirAssert.Parse(updated.Resource.Json)).Value!).Value);
    }

    [Fact]
    public async Task SubscribeAsync_TypeNotServed_FailsUnknownResourceType()
    {
        FhirAssert.Failed(await Sut.SubscribeAsync(new ChangeFilter { Types = ["Medication"] }, default), ConnectorFailureKind.UnknownResourceType);
    }

    private protected static SearchRequest Search(string type, params (string Name, string Value)[] parameters) =>
        new(type, [.. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);

    private protected static PublishedResource NewObservation(string kilograms, Chart chart) => FhirJson.ToPublished(new Observation
    {
        Id = "test-weight",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "29463-7", "Body weight"),
        Subject = new ResourceReference(chart.Reference),
        Value = new Quantity(decimal.Parse(kilograms, System.Globalization.CultureInfo.InvariantCulture), "kg"),
    });

    private async Task<List<ConnectorResource>> ExportAsync(ExportRequest request)
    {
        using var timeout = new CancellationTokenSource(Patience * 2);
        var resources = new List<ConnectorResource>();
        await foreach (var item in Sut.ExportAsync(request, timeout.Token))
        {
            resources.Add(FhirAssert.Ok(item));
        }

        return resources;
    }
}

[Collection(SyntheaCollection.Name)]
public sealed class StoreConnectorContractTests(ImportedCharts synthea) : ClinicalConnectorContract(synthea)
{
    private protected override Task<IClinicalConnector> CreateConnectorAsync(StoreWorld world) => Task.FromResult<IClinicalConnector>(world.Connector);
}

[Collection(SyntheaCollection.Name)]
public sealed class FhirApiConnectorContractTests(ImportedCharts synthea) : ClinicalConnectorContract(synthea)
{
    private FhirApiServer? _server;

    public override async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private protected override async Task<IClinicalConnector> CreateConnectorAsync(StoreWorld world)
    {
        _server = await FhirApiServer.StartAsync(world);
        return _server.CreateConnector();
    }
}
