using RpaWorker.Ai.Tests.Fakes;

namespace RpaWorker.Ai.Tests.Providers;

/// <summary>The real provider path (OpenAI client, HTTP, retries, time limit) against a stub server on loopback.</summary>
public sealed class OpenAiCompatibleProviderTests : IAsyncLifetime
{
    private const string DobAnswer = """{"index":1,"role":"cell","confidence":0.93}""";
    private readonly TestTier _tiers = new();
    private StubOpenAiServer _stub = null!;

    public async Task InitializeAsync() => _stub = await StubOpenAiServer.StartAsync();

    public async Task DisposeAsync()
    {
        _tiers.Dispose();
        await _stub.DisposeAsync();
    }

    private IScreenAssistant CreateSut(Action<AiOptions>? configure = null)
    {
        var options = TestTier.Options(o =>
        {
            o.Endpoint = _stub.V1;
            o.MaxRetryDelay = TimeSpan.FromSeconds(5);
        });
        configure?.Invoke(options);
        return _tiers.Real(options).BeginRun("run-1");
    }

    private static readonly CandidateElement[] Banner =
    [
        new() { Role = "cell", Label = "Name:", Value = "CANARYSON, ZELDA Q" },
        new() { Role = "cell", Label = "DOB:", Value = "02/29/1972" },
        new() { Role = "cell", Label = "MRN:", Value = "7719023" },
    ];

    private static ScreenContext Screen => new() { Fingerprint = "chart-banner-v1", Origin = "step read-banner field birthDate", KnownPhi = ["Zelda Canaryson"] };

    [Fact]
    public async Task ChooseElementAsync_OpenAiCompatibleServer_SendsTheJsonSchemaAndUsesTheAnswer()
    {
        _stub.Then(StubReply.Json(DobAnswer));
        var sut = CreateSut();

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.Equal(new ElementChoice(1, 0.93), result.Value);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        var body = request.Json;
        Assert.Equal("test-model", (string?)body["model"]);
        Assert.Equal("json_schema", (string?)body["response_format"]!["type"]);
        Assert.Equal("element_choice", (string?)body["response_format"]!["json_schema"]!["name"]);
        Assert.True((bool?)body["response_format"]!["json_schema"]!["strict"]);
        Assert.Equal(0, (double?)body["temperature"]);
        Assert.Equal(["index", "role", "confidence"], body["response_format"]!["json_schema"]!["schema"]!["required"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(new AiUsage(1, 321, 12, 0m, 0, 0), sut.Usage);
    }

    [Fact]
    public async Task ChooseElementAsync_ServerSaysTooManyRequestsWithRetryAfter_WaitsAndRetries()
    {
        _stub.Then(new StubReply(429, "slow down", RetryAfter: 1)).Then(StubReply.Json(DobAnswer));
        var sut = CreateSut();

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.True(result.Ok, result.Reason);
        var requests = _stub.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), "the retry did not wait for Retry-After");
        Assert.Equal(1, sut.Usage.Calls);
    }

    [Fact]
    public async Task ChooseElementAsync_RetryAfterLongerThanTheCap_FailsAtOnceNamingTheStatus()
    {
        _stub.Then(new StubReply(429, "come back in two minutes", RetryAfter: 120));
        var sut = CreateSut();

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.Equal(AiStatus.ProviderFailed, result.Status);
        Assert.Contains("rate-limited (HTTP 429)", result.Reason);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task ChooseElementAsync_ServerErrorsTwice_RetriesUntilAnAnswer()
    {
        _stub.Then(new StubReply(503, "overloaded")).Then(new StubReply(500, "oops")).Then(StubReply.Json(DobAnswer));
        var sut = CreateSut();

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.True(result.Ok, result.Reason);
        Assert.Equal(3, _stub.Requests.Count);
    }

    [Fact]
    public async Task ChooseElementAsync_BadRequest_IsNotRetriedAndNamesTheStatusOnly()
    {
        _stub.Then(new StubReply(400, "CANARYSON is not allowed here"));
        var sut = CreateSut();

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.Equal(AiStatus.ProviderFailed, result.Status);
        Assert.Equal("the provider answered the question for step read-banner field birthDate with HTTP 400", result.Reason);
        Assert.Single(_stub.Requests);
    }

    [Fact]
    public async Task ChooseElementAsync_ServerHangs_TimesOutWithAClearReason()
    {
        _stub.Then(new StubReply(200, "", Hang: true));
        var sut = CreateSut(o => o.Timeout = TimeSpan.FromSeconds(1));

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.Equal(AiStatus.ProviderFailed, result.Status);
        Assert.Equal("the provider gave no answer for step read-banner field birthDate within 1 s (Ai:Timeout)", result.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_ServerAnswersProse_IsProviderFailed()
    {
        _stub.Then(StubReply.Json("I think it is the second cell."));
        var sut = CreateSut();

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.Equal(AiStatus.ProviderFailed, result.Status);
        Assert.EndsWith("is not JSON", result.Reason);
    }

    [Fact]
    public async Task Questions_ProviderNotAllowedPhi_CanaryValuesNeverReachTheServer()
    {
        _stub.Then(StubReply.Json(DobAnswer)).Then(StubReply.Json("""{"kind":"wrong_patient","handler":"none","confidence":0.7}"""));
        var sut = CreateSut();
        var outline = new ScreenOutline
        {
            Fingerprint = "chart",
            Title = "Chart: CANARYSON, ZELDA Q",
            Elements = [.. Banner, new() { Role = "text", NearbyText = "Phone (555) 013-3377, zelda.canaryson@example.org" }],
            KnownPhi = ["Zelda Canaryson"],
        };

        await sut.ChooseElementAsync("the date of birth of Zelda Canaryson", Banner, Screen, default);
        await sut.ClassifyScreenAsync(outline, ["relogin"], default);
        var extraction = await sut.ExtractAsync("Zelda Canaryson takes Lisinopril 10 mg.", new("medication", "a drug", [new("drug", ExtractionFieldType.String, "name")]), Screen, default);

        Assert.Equal(AiStatus.Declined, extraction.Status);
        Assert.Equal(2, _stub.Requests.Count);
        foreach (var body in _stub.Requests.Select(r => r.Body))
        {
            foreach (var canary in new[] { "CANARYSON", "ZELDA", "02/29/1972", "1972", "7719023", "013-3377", "Lisinopril" })
            {
                Assert.DoesNotContain(canary, body, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task Questions_ProviderAllowedPhi_CanaryValuesAreSent()
    {
        _stub.Then(StubReply.Json(DobAnswer))
            .Then(StubReply.Json("""{"items":[{"drug":{"value":"Lisinopril","quote":"Lisinopril","confidence":0.9}}]}"""));
        var sut = CreateSut(o => o.AllowPhi = true);

        await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);
        var extraction = await sut.ExtractAsync("Zelda Canaryson takes Lisinopril 10 mg.", new("medication", "a drug", [new("drug", ExtractionFieldType.String, "name")]), Screen, default);

        Assert.Equal("Lisinopril", extraction.Value!.Items.Single().Fields["drug"].Value);
        var bodies = _stub.Requests.Select(r => r.Body).ToArray();
        Assert.Contains("CANARYSON, ZELDA Q", bodies[0]);
        Assert.Contains("02/29/1972", bodies[0]);
        Assert.Contains("Zelda Canaryson takes Lisinopril", bodies[1]);
    }

    [Fact]
    public async Task ChooseElementAsync_AzureOpenAi_UsesTheV1PathAndTheApiKeyHeader()
    {
        _stub.Then(StubReply.Json(DobAnswer));
        var sut = CreateSut(o =>
        {
            o.Provider = "azure-openai";
            o.Endpoint = _stub.Address;
            o.ApiKey = "azure-test-key";
        });

        var result = await sut.ChooseElementAsync("the date of birth", Banner, Screen, default);

        Assert.True(result.Ok, result.Reason);
        var request = Assert.Single(_stub.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal("azure-test-key", request.Headers["api-key"]);
    }
}
