using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace RpaWorker.Publishing.Tests.FhirServer;

public sealed class FhirServerSinkTests : IAsyncLifetime
{
    private const string Mrn = "urn:oid:2.16.840.1.113883.19.5|MRN 0042";

    private readonly HttpClient _http = new();
    private readonly InstantDelayTimeProvider _time = new(instantBelow: TimeSpan.FromMinutes(10));
    private TestFhirServer _server = null!;

    public async Task InitializeAsync() => _server = await TestFhirServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    // The timeout is longer than the instant-delay bound so that it runs for real and never fires in a test.
    private FhirServerSink CreateSut(int maxAttempts = 5, Uri? baseUrl = null) =>
        new(baseUrl ?? _server.BaseUrl, _http, new FhirServerSinkOptions { MaxAttempts = maxAttempts, Timeout = TimeSpan.FromMinutes(20) }, _time);

    [Fact]
    public async Task PublishAsync_Batch_PostsOneTransactionOfUpdates()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1", identifier: Mrn), Resources.Condition("c1")], default);

        var request = Assert.Single(_server.Requests);
        Assert.StartsWith("application/fhir+json", request.ContentType);
        Assert.Contains("application/fhir+json", request.Accept);
        using var bundle = JsonDocument.Parse(request.Body);
        Assert.Equal("Bundle", bundle.RootElement.GetProperty("resourceType").GetString());
        Assert.Equal("transaction", bundle.RootElement.GetProperty("type").GetString());
        var entries = bundle.RootElement.GetProperty("entry").EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.Equal("PUT", e.GetProperty("request").GetProperty("method").GetString()));
        Assert.Equal(
            ["Patient?identifier=urn%3Aoid%3A2.16.840.1.113883.19.5|MRN%200042", "Condition/c1"],
            entries.Select(e => e.GetProperty("request").GetProperty("url").GetString()));
        Assert.Equal(_server.BaseUrl + "/Patient/p1", entries[0].GetProperty("fullUrl").GetString());
        Assert.Equal(Resources.Patient("p1").Json, entries[0].GetProperty("resource").GetRawText());
        Assert.Equal(Resources.Condition("c1").Json, entries[1].GetProperty("resource").GetRawText());
    }

    [Fact]
    public async Task PublishAsync_429WithRetryAfterSeconds_WaitsAsAskedAndTheBatchArrivesOnce()
    {
        _server.Answer(429, retryAfter: "7");
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1")], default);

        Assert.Equal([429, 200], _server.Requests.Select(r => r.Status));
        Assert.Single(_server.Accepted);
        Assert.Equal([TimeSpan.FromSeconds(7)], _time.Delays);
    }

    [Fact]
    public async Task PublishAsync_503Twice_RetriesWithBackoffAndTheBatchArrivesOnce()
    {
        _server.Answer(503, times: 2);
        await using var sut = CreateSut();

        await sut.PublishAsync([Resources.Patient("p1"), Resources.Condition("c1")], default);

        Assert.Equal([503, 503, 200], _server.Requests.Select(r => r.Status));
        Assert.Single(_server.Accepted);
        Assert.Equal(2, _time.Delays.Count);
        Assert.Equal(_server.Requests.First().Body, _server.Accepted.Single());
    }

    [Fact]
    public async Task PublishAsync_AlwaysUnavailable_ThrowsAfterMaxAttempts()
    {
        _server.Answer(502, times: 10);
        await using var sut = CreateSut(maxAttempts: 3);

        var ex = await Assert.ThrowsAsync<FhirServerUnavailableException>(() => sut.PublishAsync([Resources.Patient("p1")], default));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Contains("502", ex.Message);
    }

    [Fact]
    public async Task PublishAsync_ServerNotListening_RetriesThenThrowsUnavailable()
    {
        var stopped = await TestFhirServer.StartAsync();
        var deadUrl = stopped.BaseUrl;
        await stopped.DisposeAsync();
        await using var sut = CreateSut(maxAttempts: 3, baseUrl: deadUrl);

        var ex = await Assert.ThrowsAsync<FhirServerUnavailableException>(() => sut.PublishAsync([Resources.Patient("p1")], default));

        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(2, _time.Delays.Count);
    }

    [Fact]
    public async Task PublishAsync_400WithOperationOutcome_ThrowsRejectedWithCodesButNotDiagnostics()
    {
        const string canary = "CANARY-Zebediah-Quillfeather-1957-03-14";
        _server.Answer(400, body: $$$"""
            {"resourceType":"OperationOutcome","issue":[
              {"severity":"error","code":"invalid","diagnostics":"Patient.name {{{canary}}} is not allowed"},
              {"severity":"warning","code":"{{{canary}}}","details":{"text":"{{{canary}}}"}}]}
            """);
        await using var sut = CreateSut();

        var ex = await Assert.ThrowsAsync<FhirServerRejectedException>(() =>
            sut.PublishAsync([Resources.Patient("p1", family: "Quillfeather"), Resources.Condition("c1")], default));

        Assert.Single(_server.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal([new FhirIssue("error", "invalid"), new FhirIssue("warning", "non-standard")], ex.Issues);
        Assert.Contains("400", ex.Message);
        Assert.Contains("error/invalid", ex.Message);
        Assert.Contains("1 Patient", ex.Message);
        Assert.DoesNotContain("CANARY", ex.ToString());
        Assert.DoesNotContain("Quillfeather", ex.ToString());
    }

    [Fact]
    public async Task PublishAsync_RequestOutlivesTimeout_IsRetriedAndTheBatchArrivesOnce()
    {
        var time = new FakeTimeProvider();
        _server.Hang();
        await using var sut = new FhirServerSink(_server.BaseUrl, _http, new FhirServerSinkOptions { Timeout = TimeSpan.FromSeconds(30) }, time);

        var publish = sut.PublishAsync([Resources.Patient("p1")], default);
        await WaitUntilAsync(() => _server.Requests.Count == 1);
        time.Advance(TimeSpan.FromSeconds(30));
        // Fake time moves only until the retry is on the wire, so that the second attempt cannot time out.
        await WaitUntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            return _server.Requests.Count == 2;
        });
        await publish;

        Assert.Equal([0, 200], _server.Requests.Select(r => r.Status));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "The server did not see the expected requests in time.");
    }

    [Fact]
    public async Task PublishAsync_EmptyBatch_SendsNothing()
    {
        await using var sut = CreateSut();

        await sut.PublishAsync([], default);

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void RetryAfter_HttpDate_IsTheTimeUntilThatDate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 01 Mar 2026 12:00:45 GMT");

        var delay = FhirServerSink.RetryAfter(response, time, maxDelay: TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.FromSeconds(45), delay);
    }

    [Fact]
    public void RetryAfter_LongerThanMaxDelay_IsCapped()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "86400");

        var delay = FhirServerSink.RetryAfter(response, new FakeTimeProvider(), maxDelay: TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.FromMinutes(2), delay);
    }
}
