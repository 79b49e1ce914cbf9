using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using RpaWorker.Host.FhirApi;
using RpaWorker.Connectors;
using RpaWorker.Fhir;
using RpaWorker.Host.Tests.FhirApi.Support;
using RpaWorker.Publishing;
using Task = System.Threading.Tasks.Task;

namespace RpaWorker.Host.Tests.FhirApi;

/// <summary>The <c>/fhir</c> surface as an HTTP client sees it: status codes, headers, Bundles, Bulk Data and SSE.</summary>
[Collection(SyntheaCollection.Name)]
public sealed class FhirApiHttpTests(ImportedCharts synthea) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private StoreWorld _world = null!;
    private FhirApiServer? _server;

    private HttpClient Client => _server!.Client;

    public async Task InitializeAsync() => _world = await StoreWorld.CreateAsync(synthea.Charts);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _world.DisposeAsync();
    }

    private async Task<FhirApiServer> StartAsync(Action<FhirApiOptions>? configure = null, IClinicalConnector? connector = null)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        return _server = await FhirApiServer.StartAsync(_world, configure, connector);
    }

    [Fact]
    public async Task Metadata_Get_ReturnsTheCapabilityStatementOfTheConnector()
    {
        await StartAsync();

        var json = await HttpAssert.FhirJsonAsync(await Client.GetAsync("metadata"), HttpStatusCode.OK);

        var statement = (CapabilityStatement)FhirAssert.Parse(json.GetRawText());
        Assert.Equal(FHIRVersion.N4_0_1, statement.FhirVersion);
        Assert.Equal(_server!.BaseUrl.AbsoluteUri, statement.Implementation!.Url);
        var rest = Assert.Single(statement.Rest);
        Assert.Contains(rest.Resource, r => r.Type == "Observation" && r.SearchParam.Any(p => p.Name == "patient"));
        Assert.Contains(rest.Operation, o => o.Definition == ConnectorCapabilityStatement.ExportOperationDefinition);
        Assert.Contains(rest.Operation, o => o.Name == "events");
        Assert.Contains(rest.Resource.Single(r => r.Type == "Patient").Operation, o => o.Definition == ConnectorCapabilityStatement.PatientExportOperationDefinition);
    }

    [Fact]
    public async Task Read_StoredResource_CarriesEtagLastModifiedAndALinkToItsProvenance()
    {
        await StartAsync();
        var chart = synthea.Charts[0];
        var stored = (await _world.Store.GetAsync("Patient", chart.PatientId, default))!;

        var response = await Client.GetAsync("Patient/" + chart.PatientId);

        var patient = await HttpAssert.FhirJsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(chart.PatientId, patient.GetProperty("id").GetString());
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal(stored.LastUpdated, response.Content.Headers.LastModified);
        Assert.False(response.Headers.Contains("Warning"));
        var link = Assert.Single(response.Headers.GetValues("Link"));
        Assert.Contains("rel=\"http://www.w3.org/ns/prov#has_provenance\"", link, StringComparison.Ordinal);
        var provenanceUrl = link[1..link.IndexOf('>', StringComparison.Ordinal)];
        var provenance = await HttpAssert.FhirJsonAsync(await Client.GetAsync(provenanceUrl), HttpStatusCode.OK);
        Assert.Contains(provenance.GetProperty("target").EnumerateArray(), t => t.GetProperty("reference").GetString() == chart.Reference);
    }

    [Theory]
    [InlineData("GET", "Patient/no-such-patient", HttpStatusCode.NotFound, "not-found")]
    [InlineData("GET", "Medication/m1", HttpStatusCode.NotFound, "not-supported")]
    [InlineData("GET", "Medication?code=1", HttpStatusCode.NotFound, "not-supported")]
    [InlineData("GET", "Observation?code=http://loinc.org|8867-4", HttpStatusCode.BadRequest, "not-supported")]
    [InlineData("GET", "Patient?name:contains=wy", HttpStatusCode.BadRequest, "not-supported")]
    [InlineData("GET", "Patient?birthdate=ap1980", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("GET", "Patient?birthdate=1980-13-01", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("GET", "Patient?_count=-1", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("GET", "Patient?_page_token=not-ours", HttpStatusCode.BadRequest, "invalid")]
    [InlineData("GET", "Patient?_format=xml", HttpStatusCode.NotAcceptable, "not-supported")]
    [InlineData("GET", "Patient/p1/_history", HttpStatusCode.NotImplemented, "not-supported")]
    [InlineData("POST", "Patient", HttpStatusCode.NotImplemented, "not-supported")]
    [InlineData("DELETE", "Patient/p1", HttpStatusCode.NotImplemented, "not-supported")]
    public async Task Request_NotServable_AnswersAnOperationOutcomeWithTheRightStatus(string method, string path, HttpStatusCode status, string code)
    {
        await StartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        await HttpAssert.OutcomeAsync(await Client.SendAsync(request), status, code);
    }

    [Fact]
    public async Task Search_ByPatientAcrossPages_NextLinksReturnEveryMatchOnceWithProvenanceIncluded()
    {
        await StartAsync();
        var chart = synthea.Charts.MaxBy(c => c.Resources.Count(r => r is Condition))!;
        var expected = chart.Resources.OfType<Condition>().Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 2, "The chart should need two pages or more.");

        var seen = new List<string>();
        string? url = $"Condition?patient={chart.Reference}&_count=2";
        while (url is not null)
        {
            var bundle = await HttpAssert.FhirJsonAsync(await Client.GetAsync(url), HttpStatusCode.OK);
            Assert.Equal(("Bundle", "searchset", expected.Count), (bundle.GetProperty("resourceType").GetString(), bundle.GetProperty("type").GetString(), bundle.GetProperty("total").GetInt32()));
            Assert.All(bundle.GetProperty("entry").EnumerateArray(), e => Assert.StartsWith(_server!.BaseUrl.AbsoluteUri, e.GetProperty("fullUrl").GetString(), StringComparison.Ordinal));
            seen.AddRange(HttpAssert.Entries(bundle, "match").Select(r => r.GetProperty("id").GetString()!));
            Assert.Equal("Provenance", Assert.Single(HttpAssert.Entries(bundle, "include")).GetProperty("resourceType").GetString());
            url = HttpAssert.Link(bundle, "next");
            Assert.True(url is null || url.Contains("_count=2", StringComparison.Ordinal));
        }

        Assert.Equal(expected, seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Request_UpstreamNotReachable_Answers503Transient()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var unreachable = new FhirApiConnector(new Uri($"http://127.0.0.1:{LocalPorts.Closed()}/fhir"), http, new FhirApiConnectorOptions(), TimeProvider.System);
        await StartAsync(connector: unreachable);

        await HttpAssert.OutcomeAsync(await Client.GetAsync("Patient/p1"), HttpStatusCode.ServiceUnavailable, "transient");
        await HttpAssert.OutcomeAsync(await Client.GetAsync("metadata"), HttpStatusCode.ServiceUnavailable, "transient");
    }

    [Fact]
    public async Task Export_KickOffWithoutPreferRespondAsync_Answers400()
    {
        await StartAsync();

        await HttpAssert.OutcomeAsync(await Client.GetAsync("$export"), HttpStatusCode.BadRequest, "invalid");
    }

    [Theory]
    [InlineData("$export?_typeFilter=Observation%3Fstatus%3Dfinal", "not-supported")]
    [InlineData("$export?_outputFormat=text/csv", "not-supported")]
    [InlineData("$export?_since=yesterday", "invalid")]
    [InlineData("$export?_type=Medication", "not-supported")]
    public async Task Export_KickOffWithABadParameter_Answers400(string url, string code)
    {
        await StartAsync();

        await HttpAssert.OutcomeAsync(await KickOffAsync(url), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Export_KickOffPollDownload_ServesAManifestAndNdjsonThatMatchTheStore()
    {
        await StartAsync();
        var since = _world.Clock.GetUtcNow().AddDays(-1);

        var kickOff = await KickOffAsync($"$export?_type=Patient,Condition&_since={Uri.EscapeDataString(since.ToString("O"))}");
        Assert.Equal(HttpStatusCode.Accepted, kickOff.StatusCode);
        var status = kickOff.Content.Headers.ContentLocation!;
        var done = await HttpAssert.PollUntilDoneAsync(Client, status);

        Assert.Equal("application/json", done.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_world.Clock.GetUtcNow() + TimeSpan.FromHours(1), done.Content.Headers.Expires);
        var manifest = JsonDocument.Parse(await done.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(_world.Clock.GetUtcNow(), manifest.GetProperty("transactionTime").GetDateTimeOffset());
        Assert.EndsWith("$export?_type=Patient,Condition&_since=" + Uri.EscapeDataString(since.ToString("O")), manifest.GetProperty("request").GetString(), StringComparison.Ordinal);
        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var outputs = manifest.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["Patient", "Condition"], outputs.Select(o => o.GetProperty("type").GetString()));
        foreach (var output in outputs)
        {
            var type = output.GetProperty("type").GetString()!;
            var file = await Client.GetAsync(output.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal("application/fhir+ndjson", file.Content.Headers.ContentType?.MediaType);
            var lines = (await file.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var stored = await _world.Store.QueryAsync(new StoreQuery(type) { Limit = 10_000 }, default);
            Assert.Equal(stored.Count, output.GetProperty("count").GetInt32());
            Assert.Equal(stored.Select(s => s.Id), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
            Assert.All(lines.Zip(stored), pair => FhirAssert.SameContent(pair.Second.Json, pair.First));
        }

        await AssertDeleteRemovesItAsync(status);
    }

    [Fact]
    public async Task Export_WhileRunning_Answers202WithProgressAndDeleteCancelsIt()
    {
        var gated = new GatedExportConnector(_world.Connector, pauseAfter: 5);
        await StartAsync(connector: gated);

        var status = (await KickOffAsync("$export")).Content.Headers.ContentLocation!;
        await gated.Paused.WaitAsync(Patience);
        var running = await Client.GetAsync(status);

        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.Equal("5 resources exported", Assert.Single(running.Headers.GetValues("X-Progress")));
        Assert.Equal(TimeSpan.FromSeconds(1), running.Headers.RetryAfter?.Delta);
        Assert.Single(Directory.GetDirectories(_world.ExportFolder));
        await AssertDeleteRemovesItAsync(status);
    }

    [Fact]
    public async Task Export_OverTheConcurrencyLimit_Answers429WithRetryAfter()
    {
        var gated = new GatedExportConnector(_world.Connector, pauseAfter: 1);
        await StartAsync(options => options.MaxConcurrentExports = 1, gated);
        Assert.Equal(HttpStatusCode.Accepted, (await KickOffAsync("$export")).StatusCode);

        var second = await KickOffAsync("Patient/$export");

        await HttpAssert.OutcomeAsync(second, HttpStatusCode.TooManyRequests, "throttled");
        Assert.NotNull(second.Headers.RetryAfter);
        gated.Release();
    }

    [Fact]
    public async Task Export_Finished_SurvivesARestartOfTheWorker()
    {
        await StartAsync();
        var status = (await KickOffAsync("Patient/$export?_type=Patient")).Content.Headers.ContentLocation!;
        await HttpAssert.PollUntilDoneAsync(Client, status);

        await StartAsync();
        var manifest = JsonDocument.Parse(await (await HttpAssert.PollUntilDoneAsync(Client, new Uri(_server!.BaseUrl, status.PathAndQuery[(status.PathAndQuery.IndexOf("$export-status", StringComparison.Ordinal))..]))).Content.ReadAsStringAsync()).RootElement;

        var url = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        var lines = (await Client.GetStringAsync(url)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(synthea.Charts.Select(c => c.PatientId).Order(StringComparer.Ordinal), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Export_InterruptedByACrash_IsReportedFailedAndItsPartialFilesDeleted()
    {
        var gated = new GatedExportConnector(_world.Connector, pauseAfter: 3);
        await StartAsync(connector: gated);
        var status = (await KickOffAsync("$export")).Content.Headers.ContentLocation!;
        await gated.Paused.WaitAsync(Patience);
        var jobFolder = Assert.Single(Directory.GetDirectories(_world.ExportFolder));
        // What a killed process leaves: the job still marked in progress, a partial file.
        var state = File.ReadAllText(Path.Combine(jobFolder, "job.json"));
        await _server!.DisposeAsync();
        _server = null;
        File.WriteAllText(Path.Combine(jobFolder, "job.json"), state);
        File.WriteAllText(Path.Combine(jobFolder, "Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"partial\"}\n");

        await StartAsync();
        var failed = await Client.GetAsync(new Uri(_server!.BaseUrl, "$export-status/" + Path.GetFileName(jobFolder)));

        var outcome = await HttpAssert.OutcomeAsync(failed, HttpStatusCode.InternalServerError, "transient");
        Assert.Contains("restarted", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
        Assert.Equal(["job.json"], Directory.GetFiles(jobFolder).Select(Path.GetFileName));
        Assert.Contains(status.Segments[^1], jobFolder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_PastItsRetention_IsDeletedWithItsFiles()
    {
        await StartAsync(options => options.ExportRetention = TimeSpan.FromMinutes(30));
        var status = (await KickOffAsync("$export?_type=Patient")).Content.Headers.ContentLocation!;
        await HttpAssert.PollUntilDoneAsync(Client, status);
        Assert.Single(Directory.GetDirectories(_world.ExportFolder));

        _world.Clock.Advance(TimeSpan.FromMinutes(31));

        await HttpAssert.OutcomeAsync(await Client.GetAsync(status), HttpStatusCode.NotFound, "not-found");
        Assert.Empty(Directory.GetDirectories(_world.ExportFolder));
    }

    [Fact]
    public async Task Events_ResourcePublished_ArrivesAsAServerSentEvent()
    {
        await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "$events?_type=Observation");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var timeout = new CancellationTokenSource(Patience);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": subscribed", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));

        var observation = new Observation
        {
            Id = "sse-1",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
            Subject = new ResourceReference(synthea.Charts[0].Reference),
        };
        await _world.PublishAsync([FhirJson.ToPublished(synthea.Charts[0].Patient), FhirJson.ToPublished(observation)]);

        Assert.Equal("id: Observation/sse-1/_history/1", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("event: created", await reader.ReadLineAsync(timeout.Token));
        var data = (await reader.ReadLineAsync(timeout.Token))!;
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        FhirAssert.SameContent(FhirJson.Serialize(observation), data["data: ".Length..]);
    }

    [Fact]
    public async Task Events_ClientFallsBehind_GetsAnErrorEventAndTheStreamEnds()
    {
        await _world.DisposeAsync();
        _world = await StoreWorld.CreateAsync([], feedCapacity: 2);
        await StartAsync();
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "$events"), HttpCompletionOption.ResponseHeadersRead);
        using var timeout = new CancellationTokenSource(Patience);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal(": subscribed", await reader.ReadLineAsync(timeout.Token));

        // A whole chart in one go: the worker reads the store and writes to the socket per event, far slower than that.
        await _world.PublishAsync(ImportedCharts.Batch(synthea.Charts.MaxBy(c => c.Resources.Count)!, _world.Clock.GetUtcNow()));
        var rest = await reader.ReadToEndAsync(timeout.Token);

        Assert.EndsWith("event: error\n" + "data: " + FhirHttp.OperationOutcome("error", "incomplete",
            "The change stream ended (this client fell behind, or the source closed its stream); changes may have been missed. Reconnect and catch up with $export?_since=.") + "\n\n",
            rest, StringComparison.Ordinal);
        Assert.InRange(rest.Split("event: created").Length - 1, 1, 10);
    }

    [Fact]
    public async Task Events_UnknownType_Answers404BeforeStreaming()
    {
        await StartAsync();

        await HttpAssert.OutcomeAsync(await Client.GetAsync("$events?_type=Medication"), HttpStatusCode.NotFound, "not-supported");
    }

    /// <summary>DELETE on the status URL answers 202, then the job is unknown and its folder gone.</summary>
    private async Task AssertDeleteRemovesItAsync(Uri status)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Client.DeleteAsync(status)).StatusCode);
        await HttpAssert.OutcomeAsync(await Client.GetAsync(status), HttpStatusCode.NotFound, "not-found");
        Assert.Empty(Directory.GetDirectories(_world.ExportFolder));
    }

    private async Task<HttpResponseMessage> KickOffAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/fhir+json");
        request.Headers.Add("Prefer", "respond-async");
        return await Client.SendAsync(request);
    }
}
