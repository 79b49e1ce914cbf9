using System.Text;
using Hl7.Fhir.Model;
using RpaWorker.Connectors;
using RpaWorker.Fhir;
using RpaWorker.Host.Tests.FhirApi.Support;
using Task = System.Threading.Tasks.Task;

namespace RpaWorker.Host.Tests.FhirApi;

/// <summary>What only the plain FHIR API connector does: the fallbacks a generic server needs, and an unreachable one.</summary>
[Collection(SyntheaCollection.Name)]
public sealed class FhirApiConnectorTests(ImportedCharts synthea) : IAsyncLifetime
{
    // A guard against a hang, not a time limit: a loaded machine may take far longer than an idle one.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private StoreWorld _world = null!;
    private FhirApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _world = await StoreWorld.CreateAsync(synthea.Charts);
        _server = await FhirApiServer.StartAsync(_world);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task ExportAsync_BySearch_ExportsWhatBulkDataExports()
    {
        var request = new ExportRequest(ExportLevel.System) { Since = _world.Clock.GetUtcNow().AddHours(-1) };

        var bulk = await ExportAsync(_server.CreateConnector(o => o.ExportMode = FhirApiExportMode.BulkData), request);
        var bySearch = await ExportAsync(_server.CreateConnector(o => { o.ExportMode = FhirApiExportMode.Search; o.PageSize = 40; }), request);

        Assert.Equal(synthea.Charts.Sum(c => c.Resources.Count + 1), bulk.Count);
        Assert.Equal(bulk.Keys.Order(StringComparer.Ordinal), bySearch.Keys.Order(StringComparer.Ordinal));
        Assert.All(bulk, pair => FhirAssert.SameContent(pair.Value, bySearch[pair.Key]));
    }

    [Fact]
    public async Task SubscribeAsync_PollingAServerWithoutEvents_DeliversPublishedResources()
    {
        var sut = _server.CreateConnector(o => o.ChangeMode = FhirApiChangeMode.Poll);
        await using var subscription = FhirAssert.Ok(await sut.SubscribeAsync(new ChangeFilter { Types = ["Condition"] }, default));
        using var timeout = new CancellationTokenSource(Patience);
        await using var changes = subscription.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        // Later than the subscription by the connector's clock, which is the real one.
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var condition = new Condition
        {
            Id = "polled-1",
            Code = new CodeableConcept("http://snomed.info/sct", "38341003", "Hypertension"),
            Subject = new ResourceReference(synthea.Charts[0].Reference),
        };
        await _world.PublishAsync([FhirJson.ToPublished(condition)]);

        Assert.True(await changes.MoveNextAsync());
        Assert.Equal((ChangeKind.Created, "Condition/polled-1"), (changes.Current.Kind, changes.Current.Resource.Reference));
        FhirAssert.SameContent(FhirJson.Serialize(condition), changes.Current.Resource.Json);
    }

    [Fact]
    public async Task ReadAsync_ServerRefreshingOnDemand_FollowsIts202UntilTheDataIsThere()
    {
        await using var server = await FhirApiServer.StartAsync(_world, o => o.OnDemandWait = TimeSpan.Zero);
        var sut = server.CreateConnector();
        _world.Extraction.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _world.Clock.Advance(TimeSpan.FromHours(25));
        var request = new ReadRequest("Patient", synthea.Charts[0].PatientId);

        var pending = await sut.ReadAsync(request with { MaxWait = TimeSpan.Zero }, default);
        var waiting = sut.ReadAsync(request, default);
        _world.Extraction.Gate.SetResult();
        var read = FhirAssert.Ok(await waiting.WaitAsync(Patience));

        Assert.True(pending.IsPending);
        Assert.Equal("2", read.Resource.VersionId);
        Assert.Equal(1, _world.Extraction.Calls);
    }

    [Fact]
    public async Task SearchAsync_PageTokenPointingElsewhere_FailsInvalidParameterWithoutFollowingIt()
    {
        var sut = _server.CreateConnector();
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("http://attacker.example/fhir/Patient?page=2")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        FhirAssert.Failed(await sut.SearchAsync(new SearchRequest("Patient", []) { PageToken = token }, default), ConnectorFailureKind.InvalidParameter);
    }

    [Fact]
    public async Task Everything_ServerNotReachable_FailsUnavailable()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var sut = new FhirApiConnector(new Uri($"http://127.0.0.1:{LocalPorts.Closed()}/fhir"), http, new FhirApiConnectorOptions(), TimeProvider.System);

        FhirAssert.Failed(await sut.GetCapabilitiesAsync(default), ConnectorFailureKind.Unavailable);
        FhirAssert.Failed(await sut.ReadAsync(new ReadRequest("Patient", "p1"), default), ConnectorFailureKind.Unavailable);
        FhirAssert.Failed(await sut.SearchAsync(new SearchRequest("Patient", []), default), ConnectorFailureKind.Unavailable);
        FhirAssert.Failed(await sut.SubscribeAsync(ChangeFilter.All, default), ConnectorFailureKind.Unavailable);
        await foreach (var item in sut.ExportAsync(new ExportRequest(ExportLevel.System), default))
        {
            FhirAssert.Failed(item, ConnectorFailureKind.Unavailable);
        }
    }

    private static async Task<Dictionary<string, string>> ExportAsync(IClinicalConnector connector, ExportRequest request)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var item in connector.ExportAsync(request, timeout.Token))
        {
            var resource = FhirAssert.Ok(item);
            resources.Add(resource.Reference, resource.Json);
        }

        return resources;
    }
}
