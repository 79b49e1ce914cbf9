using System.Net;
using Hl7.Fhir.Model;
using RpaWorker.Host.FhirApi;
using RpaWorker.Host.Tests.FhirApi.Support;
using Task = System.Threading.Tasks.Task;

namespace RpaWorker.Host.Tests.FhirApi;

/// <summary>
/// The RPA connector's on-demand path over HTTP: data within its type's freshness policy comes from the store, older
/// data is refreshed by one extraction of that patient (a fake EHR that republishes the chart), slow refreshes answer
/// 202, failed ones serve the stored copy flagged stale.
/// </summary>
[Collection(SyntheaCollection.Name)]
public sealed class OnDemandRefreshTests(ImportedCharts synthea) : IAsyncLifetime
{
    private StoreWorld _world = null!;
    private FhirApiServer _server = null!;

    private Chart Chart => synthea.Charts[0];

    private HttpClient Client => _server.Client;

    public Task InitializeAsync() => StartAsync(synthea.Charts);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _world.DisposeAsync();
    }

    private async Task StartAsync(IReadOnlyList<Chart> stored, Action<FhirApiOptions>? configure = null)
    {
        _world = await StoreWorld.CreateAsync(stored, ehr: synthea.Charts);
        _server = await FhirApiServer.StartAsync(_world, configure);
    }

    private async Task RestartAsync(IReadOnlyList<Chart> stored, Action<FhirApiOptions>? configure = null)
    {
        await DisposeAsync();
        await StartAsync(stored, configure);
    }

    [Fact]
    public async Task Read_DataWithinItsFreshness_IsServedFromTheStoreWithoutAskingTheEhr()
    {
        _world.Clock.Advance(TimeSpan.FromHours(3));

        var patient = await Client.GetAsync("Patient/" + Chart.PatientId);
        var observations = await Client.GetAsync($"Observation?patient={Chart.PatientId}");

        await HttpAssert.FhirJsonAsync(patient, HttpStatusCode.OK);
        await HttpAssert.FhirJsonAsync(observations, HttpStatusCode.OK);
        Assert.Equal("W/\"1\"", patient.Headers.ETag?.ToString());
        Assert.Equal(0, _world.Extraction.Calls);
    }

    [Fact]
    public async Task Read_StaleDataAskedForThreeTimesAtOnce_RefreshesThePatientOnceAndServesTheNewCopy()
    {
        _world.Clock.Advance(TimeSpan.FromHours(25));
        var refreshedAt = _world.Clock.GetUtcNow();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Client.GetAsync("Patient/" + Chart.PatientId)));

        Assert.Equal(1, _world.Extraction.Calls);
        foreach (var response in responses)
        {
            var patient = await HttpAssert.FhirJsonAsync(response, HttpStatusCode.OK);
            Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
            Assert.Equal(refreshedAt, patient.GetProperty("meta").GetProperty("lastUpdated").GetDateTimeOffset());
            Assert.False(response.Headers.Contains("Warning"));
        }

        var link = responses[0].Headers.GetValues("Link").Single();
        var provenance = (Provenance)FhirAssert.Parse((await HttpAssert.FhirJsonAsync(
            await Client.GetAsync(link[1..link.IndexOf('>', StringComparison.Ordinal)]), HttpStatusCode.OK)).GetRawText());
        Assert.Equal(refreshedAt, provenance.Recorded);
    }

    [Fact]
    public async Task Search_FreshnessPolicyPerType_RefreshesObservationsAfterFourHoursButNotThePatient()
    {
        _world.Clock.Advance(TimeSpan.FromHours(5));

        await HttpAssert.FhirJsonAsync(await Client.GetAsync("Patient/" + Chart.PatientId), HttpStatusCode.OK);
        Assert.Equal(0, _world.Extraction.Calls);
        var bundle = await HttpAssert.FhirJsonAsync(await Client.GetAsync($"Observation?subject=Patient/{Chart.PatientId}&_count=500"), HttpStatusCode.OK);

        Assert.Equal(1, _world.Extraction.Calls);
        var provenance = (Provenance)FhirAssert.Parse(Assert.Single(HttpAssert.Entries(bundle, "include")).GetRawText());
        Assert.Equal(_world.Clock.GetUtcNow(), provenance.Recorded);
        Assert.Equal(Chart.Resources.Count(r => r is Observation), HttpAssert.Entries(bundle, "match").Count);
    }

    [Fact]
    public async Task Read_RefreshSlowerThanTheWait_Answers202ThenTheDataAtTheStatusUrl()
    {
        await RestartAsync(synthea.Charts, options => options.OnDemandWait = TimeSpan.Zero);
        _world.Extraction.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _world.Clock.Advance(TimeSpan.FromHours(25));

        var accepted = await Client.GetAsync("Patient/" + Chart.PatientId);
        var again = await Client.GetAsync("Patient/" + Chart.PatientId);

        await HttpAssert.OutcomeAsync(accepted, HttpStatusCode.Accepted, "informational");
        Assert.Equal(new Uri(_server.BaseUrl, "Patient/" + Chart.PatientId), accepted.Content.Headers.ContentLocation);
        Assert.Equal(TimeSpan.FromSeconds(2), accepted.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        _world.Extraction.Gate.SetResult();
        var done = await HttpAssert.PollUntilDoneAsync(Client, accepted.Content.Headers.ContentLocation!);
        Assert.Equal("W/\"2\"", done.Headers.ETag?.ToString());
        Assert.Equal(1, _world.Extraction.Calls);
    }

    [Fact]
    public async Task Search_PatientByIdentifierNotStored_IsExtractedFromTheEhrAndFound()
    {
        await RestartAsync([synthea.Charts[0], synthea.Charts[1]]);
        var missing = synthea.Charts[2];

        var bundle = await HttpAssert.FhirJsonAsync(
            await Client.GetAsync($"Patient?identifier={ImportedCharts.MrnSystem}|{missing.Mrn}"), HttpStatusCode.OK);
        var conditions = await HttpAssert.FhirJsonAsync(await Client.GetAsync($"Condition?patient={missing.PatientId}&_count=500"), HttpStatusCode.OK);

        Assert.Equal(missing.PatientId, Assert.Single(HttpAssert.Entries(bundle, "match")).GetProperty("id").GetString());
        Assert.Equal(missing.Resources.Count(r => r is Condition), HttpAssert.Entries(conditions, "match").Count);
        Assert.Equal(1, _world.Extraction.Calls);
    }

    [Fact]
    public async Task Search_IdentifierTheEhrDoesNotKnow_IsAnEmptyBundleAndIsNotAskedAgainAtOnce()
    {
        var first = await HttpAssert.FhirJsonAsync(await Client.GetAsync($"Patient?identifier={ImportedCharts.MrnSystem}|000000"), HttpStatusCode.OK);
        var second = await HttpAssert.FhirJsonAsync(await Client.GetAsync("Patient?identifier=000000"), HttpStatusCode.OK);

        Assert.Equal(0, first.GetProperty("total").GetInt32());
        Assert.Equal(0, second.GetProperty("total").GetInt32());
        Assert.Equal(1, _world.Extraction.Calls);
    }

    [Fact]
    public async Task Read_RefreshFails_ServesTheStoredCopyFlaggedStale()
    {
        _world.Extraction.Fail = true;
        _world.Clock.Advance(TimeSpan.FromHours(25));

        var read = await Client.GetAsync("Patient/" + Chart.PatientId);
        var search = await Client.GetAsync("Patient?_id=" + Chart.PatientId);

        await HttpAssert.FhirJsonAsync(read, HttpStatusCode.OK);
        Assert.Equal("110 - \"Response is Stale\"", Assert.Single(read.Headers.GetValues("Warning")));
        Assert.Equal("W/\"1\"", read.Headers.ETag?.ToString());
        var bundle = await HttpAssert.FhirJsonAsync(search, HttpStatusCode.OK);
        Assert.Single(HttpAssert.Entries(bundle, "match"));
        Assert.Equal("warning", Assert.Single(HttpAssert.Entries(bundle, "outcome")).GetProperty("issue")[0].GetProperty("severity").GetString());
        Assert.True(search.Headers.Contains("Warning"));
        Assert.Equal(1, _world.Extraction.Calls);
    }

    [Fact]
    public async Task Search_RefreshFailsAndNothingIsStored_Answers503()
    {
        await RestartAsync([synthea.Charts[0]]);
        _world.Extraction.Fail = true;

        await HttpAssert.OutcomeAsync(
            await Client.GetAsync($"Patient?identifier={ImportedCharts.MrnSystem}|{synthea.Charts[1].Mrn}"), HttpStatusCode.ServiceUnavailable, "transient");
    }
}
