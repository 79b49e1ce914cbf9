using Microsoft.Data.Sqlite;
using RpaWorker.Ai.Tests.Fakes;

namespace RpaWorker.Ai.Tests.Assistant;

public sealed class ScreenAssistantTests : IDisposable
{
    private const string DobAnswer = """{"index":1,"role":"cell","confidence":0.93}""";
    private readonly TestTier _tiers = new();

    private static CandidateElement[] Banner(string name = "DOE, JOHN A", string dob = "03/14/1987", string mrn = "0012345") =>
    [
        new() { Role = "cell", Label = "Name:", Value = name },
        new() { Role = "cell", Label = "DOB:", Value = dob },
        new() { Role = "cell", Label = "MRN:", Value = mrn },
    ];

    private static ScreenContext Screen(string fingerprint = "chart-banner-v1") => new() { Fingerprint = fingerprint, Origin = "step read-banner field birthDate" };

    private (IScreenAssistant Sut, ScriptedChatClient Chat) CreateSut(Action<AiOptions>? configure = null)
    {
        var chat = new ScriptedChatClient();
        return (_tiers.Scripted(chat, TestTier.Options(configure)).BeginRun("run-1"), chat);
    }

    [Fact]
    public async Task ChooseElementAsync_SameQuestionTwice_SecondIsAnsweredFromTheCacheWithoutACall()
    {
        var (sut, chat) = CreateSut();
        chat.Answer(DobAnswer);

        var first = await sut.ChooseElementAsync("the patient's date of birth in the banner", Banner(), Screen(), default);
        var second = await sut.ChooseElementAsync("the patient's date of birth in the banner", Banner(), Screen(), default);

        Assert.Equal(AiStatus.Answered, first.Status);
        Assert.False(first.FromCache);
        Assert.Equal(1, first.Value!.Index);
        Assert.True(second.FromCache);
        Assert.Equal(1, second.Value!.Index);
        Assert.Single(chat.Requests);
        Assert.Equal(1, sut.Usage.CacheHits);
        Assert.Equal(1, _tiers.Measured["rpaworker.ai.cache.hits"]);
    }

    [Fact]
    public async Task ChooseElementAsync_SameScreenForAnotherPatient_MaskedQuestionIsAnsweredFromTheCache()
    {
        var (sut, chat) = CreateSut();
        chat.Answer(DobAnswer);

        await sut.ChooseElementAsync("the patient's date of birth in the banner", Banner(), Screen(), default);
        var other = await sut.ChooseElementAsync("the patient's date of birth in the banner", Banner("ROE, JANE", "11/02/1990", "0098765"), Screen(), default);

        Assert.True(other.FromCache);
        Assert.Single(chat.Requests);
    }

    [Fact]
    public async Task ChooseElementAsync_BudgetOfOneCallSpent_IsRefusedWithAClearMessageAndNoCall()
    {
        var (sut, chat) = CreateSut(o => o.Budget.MaxCallsPerRun = 1);
        chat.Answer(DobAnswer);

        var first = await sut.ChooseElementAsync("the date of birth", Banner(), Screen("a"), default);
        var second = await sut.ChooseElementAsync("the date of birth", Banner(), Screen("b"), default);
        var third = await sut.ChooseElementAsync("the medical record number", Banner(), Screen("c"), default);

        Assert.True(first.Ok);
        Assert.Equal(AiStatus.BudgetExhausted, second.Status);
        Assert.Contains("1 of 1 calls used (Ai:Budget:MaxCallsPerRun)", second.Reason);
        Assert.Contains("not used for the rest of the run", second.Reason);
        Assert.Equal(AiStatus.BudgetExhausted, third.Status);
        Assert.Single(chat.Requests);
        Assert.Equal(2, sut.Usage.BudgetRefusals);
        Assert.Equal(2, _tiers.Measured["rpaworker.ai.budget.refusals"]);
    }

    [Fact]
    public async Task BeginRun_AfterARunSpentItsBudget_NextRunHasAFreshBudget()
    {
        var chat = new ScriptedChatClient().Answer(DobAnswer).Answer(DobAnswer);
        var tier = _tiers.Scripted(chat, TestTier.Options(o => o.Budget.MaxCallsPerRun = 1));
        var spent = tier.BeginRun("run-1");
        await spent.ChooseElementAsync("the date of birth", Banner(), Screen("a"), default);

        var refused = await spent.ChooseElementAsync("the date of birth", Banner(), Screen("b"), default);
        var fresh = await tier.BeginRun("run-2").ChooseElementAsync("the date of birth", Banner(), Screen("b"), default);

        Assert.Equal(AiStatus.BudgetExhausted, refused.Status);
        Assert.True(fresh.Ok);
    }

    [Fact]
    public async Task ChooseElementAsync_TokenBudgetSpent_IsRefusedNamingTheTokenLimit()
    {
        var (sut, chat) = CreateSut(o => { o.Budget.MaxTokensPerRun = 3000; o.MaxOutputTokens = 100; });
        chat.Answer(DobAnswer, inputTokens: 2800, outputTokens: 20);

        await sut.ChooseElementAsync("the date of birth", Banner(), Screen("a"), default);
        var refused = await sut.ChooseElementAsync("the date of birth", Banner(), Screen("b"), default);

        Assert.Equal(AiStatus.BudgetExhausted, refused.Status);
        Assert.Contains("2820 of 3000 tokens used", refused.Reason);
        Assert.Contains("Ai:Budget:MaxTokensPerRun", refused.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_AnswerIsNotJson_IsProviderFailedAndNotCached()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("The date of birth is the second cell.").Answer(DobAnswer);

        var malformed = await sut.ChooseElementAsync("the date of birth", Banner(), Screen(), default);
        var retried = await sut.ChooseElementAsync("the date of birth", Banner(), Screen(), default);

        Assert.Equal(AiStatus.ProviderFailed, malformed.Status);
        Assert.Equal("the provider's answer for step read-banner field birthDate is not JSON", malformed.Reason);
        Assert.True(retried.Ok);
        Assert.False(retried.FromCache);
        Assert.Equal(2, chat.Requests.Count);
    }

    [Theory]
    [InlineData("""{"index":"1","role":"cell","confidence":0.9}""")]
    [InlineData("""{"index":1,"role":"cell","confidence":0.9,"reasoning":"DOB label"}""")]
    [InlineData("""{"index":1,"role":"cell"}""")]
    [InlineData("""{"index":7,"role":"cell","confidence":0.9}""")]
    [InlineData("""{"index":1,"role":"cell","confidence":1.7}""")]
    [InlineData("""[1]""")]
    public async Task ChooseElementAsync_AnswerBreaksTheSchema_IsProviderFailed(string answer)
    {
        var (sut, chat) = CreateSut();
        chat.Answer(answer);

        var result = await sut.ChooseElementAsync("the date of birth", Banner(), Screen(), default);

        Assert.Equal(AiStatus.ProviderFailed, result.Status);
        Assert.StartsWith("the provider's answer for step read-banner field birthDate does not match the element_choice schema", result.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_ModelNamesAnotherRoleThanItsChoice_IsDeclined()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("""{"index":1,"role":"button","confidence":0.95}""");

        var result = await sut.ChooseElementAsync("the date of birth", Banner(), Screen(), default);

        Assert.Equal(AiStatus.Declined, result.Status);
        Assert.Contains("inconsistent", result.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_ModelIsUnsure_IsDeclinedNamingTheThreshold()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("""{"index":1,"role":"cell","confidence":0.3}""");

        var result = await sut.ChooseElementAsync("the date of birth", Banner(), Screen(), default);

        Assert.Equal(AiStatus.Declined, result.Status);
        Assert.Equal("the model's confidence 0.30 is below Ai:MinConfidence 0.60 for step read-banner field birthDate", result.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_ModelFindsNone_IsDeclined()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("""{"index":-1,"role":"","confidence":0.9}""");

        var result = await sut.ChooseElementAsync("the patient's shoe size", Banner(), Screen(), default);

        Assert.Equal(AiStatus.Declined, result.Status);
        Assert.Contains("found no element", result.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_CachedAnswerFailsTheScreenCheck_IsForgottenAndAskedAgain()
    {
        var (sut, chat) = CreateSut();
        chat.Answer(DobAnswer).Answer(DobAnswer).Answer(DobAnswer);
        var holds = true;
        var screen = Screen() with { VerifyChoice = (_, _) => ValueTask.FromResult(holds) };

        var first = await sut.ChooseElementAsync("the date of birth", Banner(), screen, default);
        holds = false;
        var failed = await sut.ChooseElementAsync("the date of birth", Banner(), screen, default);
        holds = true;
        var again = await sut.ChooseElementAsync("the date of birth", Banner(), screen, default);

        Assert.True(first.Ok);
        Assert.Equal(AiStatus.Declined, failed.Status);
        Assert.Contains("did not pass the check on the screen", failed.Reason);
        Assert.True(again.Ok);
        Assert.False(again.FromCache);
        Assert.Equal(3, chat.Requests.Count);
    }

    [Fact]
    public async Task ChooseElementAsync_ProviderNotAllowedPhi_SendsShapesInsteadOfTheCanaryValues()
    {
        var (sut, chat) = CreateSut();
        chat.Answer(DobAnswer);
        var candidates = new CandidateElement[]
        {
            new() { Role = "cell", Label = "Patient:", Value = "CANARYSON, ZELDA Q", NearbyText = "Chart of CANARYSON, ZELDA Q" },
            new() { Role = "cell", Label = "DOB:", Value = "02/29/1972", Attributes = new Dictionary<string, string> { ["title"] = "born 02/29/1972" } },
            new() { Role = "cell", Label = "MRN:", Value = "7719023", Name = "MRN 7719023" },
        };
        var screen = Screen() with { Title = "Zelda Canaryson - chart", KnownPhi = ["Zelda Canaryson"] };

        await sut.ChooseElementAsync("the date of birth of Zelda Canaryson", candidates, screen, default);

        var sent = chat.Requests.Single().Text;
        foreach (var canary in new[] { "CANARYSON", "Canaryson", "ZELDA", "02/29/1972", "7719023" })
        {
            Assert.DoesNotContain(canary, sent, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("\"value\":\"<date>\"", sent);
        Assert.Contains("\"value\":\"<name>\"", sent);
        Assert.Contains("\"value\":\"<number 7 digits>\"", sent);
        Assert.Contains("DOB:", sent);
    }

    [Fact]
    public async Task ChooseElementAsync_ProviderAllowedPhi_SendsTheValues()
    {
        var (sut, chat) = CreateSut(o => o.AllowPhi = true);
        chat.Answer(DobAnswer);

        await sut.ChooseElementAsync("the date of birth", Banner("CANARYSON, ZELDA Q", "02/29/1972"), Screen(), default);

        Assert.Contains("CANARYSON, ZELDA Q", chat.Requests.Single().Text);
        Assert.Contains("02/29/1972", chat.Requests.Single().Text);
    }

    [Fact]
    public async Task ChooseElementAsync_NoProviderConfigured_IsUnavailableAndNothingIsSent()
    {
        var tier = _tiers.Real(new AiOptions());

        var result = await tier.BeginRun("run-1").ChooseElementAsync("the date of birth", Banner(), Screen(), default);

        Assert.False(tier.Enabled);
        Assert.Equal(AiStatus.Unavailable, result.Status);
        Assert.Contains("no AI provider is configured (Ai:Provider)", result.Reason);
    }

    [Fact]
    public async Task ChooseElementAsync_PricesConfigured_UsageAndMetricsCarryTokensAndCost()
    {
        var (sut, chat) = CreateSut(o => { o.Budget.PricePer1kInputTokens = 0.5m; o.Budget.PricePer1kOutputTokens = 1.5m; });
        chat.Answer(DobAnswer, inputTokens: 1000, outputTokens: 200);

        await sut.ChooseElementAsync("the date of birth", Banner(), Screen(), default);

        Assert.Equal(new AiUsage(1, 1000, 200, 0.8m, 0, 0), sut.Usage);
        Assert.Equal(1000, _tiers.Measured["rpaworker.ai.tokens.input"]);
        Assert.Equal(200, _tiers.Measured["rpaworker.ai.tokens.output"]);
        Assert.Equal(0.8, _tiers.Measured["rpaworker.ai.cost"], 6);
        Assert.Equal(1, _tiers.Measured["rpaworker.ai.calls"]);
    }

    [Fact]
    public async Task ChooseElementAsync_CacheFileConfigured_AnswerOutlivesTheProcess()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rpa-ai-cache-{Guid.NewGuid():N}.db");
        try
        {
            var firstChat = new ScriptedChatClient().Answer(DobAnswer);
            using (var first = AiTier.Create(TestTier.Options(o => o.Cache.Path = path), firstChat, "scripted", TimeProvider.System, new NoMeters()))
            {
                await first.BeginRun("run-1").ChooseElementAsync("the date of birth", Banner(), Screen(), default);
            }
            var secondChat = new ScriptedChatClient();
            using var second = AiTier.Create(TestTier.Options(o => o.Cache.Path = path), secondChat, "scripted", TimeProvider.System, new NoMeters());

            var result = await second.BeginRun("run-2").ChooseElementAsync("the date of birth", Banner(), Screen(), default);

            Assert.True(result.FromCache);
            Assert.Empty(secondChat.Requests);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ClassifyScreenAsync_SessionExpiredScreen_ReturnsTheKindAndTheOfferedHandler()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("""{"kind":"session_expired","handler":"relogin","confidence":0.88}""");
        var outline = new ScreenOutline
        {
            Fingerprint = "login-form",
            Origin = "step open-chart",
            Title = "Sign in",
            Elements = [new() { Role = "textbox", Label = "User name" }, new() { Role = "text", Value = "Your session has expired." }],
        };

        var result = await sut.ClassifyScreenAsync(outline, ["dismiss-popup", "relogin"], default);

        Assert.Equal(new ScreenClassification(ScreenKind.SessionExpired, "relogin", 0.88), result.Value);
    }

    [Fact]
    public async Task ClassifyScreenAsync_NoHandlerFits_HandlerIsNull()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("""{"kind":"error","handler":"none","confidence":0.8}""");

        var result = await sut.ClassifyScreenAsync(new ScreenOutline { Fingerprint = "err" }, ["relogin"], default);

        Assert.Equal(new ScreenClassification(ScreenKind.Error, null, 0.8), result.Value);
    }

    [Fact]
    public async Task ClassifyScreenAsync_ModelNamesAHandlerThePlaybookLacks_IsProviderFailed()
    {
        var (sut, chat) = CreateSut();
        chat.Answer("""{"kind":"popup","handler":"click-ok","confidence":0.9}""");

        var result = await sut.ClassifyScreenAsync(new ScreenOutline { Fingerprint = "popup" }, ["relogin"], default);

        Assert.Equal(AiStatus.ProviderFailed, result.Status);
        Assert.Contains("screen_classification schema", result.Reason);
    }

    private const string Note = "Pt continues Lisinopril 10 mg daily.\nStarted  Metformin 500 mg twice a day; no aspirin.";

    private static readonly ExtractionSpec Medications = new("medication", "a medication the patient takes",
    [
        new("drug", ExtractionFieldType.String, "the drug's name", Required: true),
        new("dose_mg", ExtractionFieldType.Number, "the dose in milligrams"),
    ]);

    [Fact]
    public async Task ExtractAsync_ProviderNotAllowedPhi_IsDeclinedAndNothingIsSent()
    {
        var (sut, chat) = CreateSut();

        var result = await sut.ExtractAsync(Note, Medications, Screen(), default);

        Assert.Equal(AiStatus.Declined, result.Status);
        Assert.Contains("needs a provider allowed to receive PHI (Ai:AllowPhi); nothing was sent", result.Reason);
        Assert.Empty(chat.Requests);
    }

    [Fact]
    public async Task ExtractAsync_ProviderAllowedPhi_KeepsQuotedValuesWithTheirSpansAndDropsInventedOnes()
    {
        var (sut, chat) = CreateSut(o => o.AllowPhi = true);
        chat.Answer("""
            {"items":[
              {"drug":{"value":"Lisinopril","quote":"Lisinopril","confidence":0.97},"dose_mg":{"value":"10","quote":"10 mg","confidence":0.95}},
              {"drug":{"value":"Metformin","quote":"Started Metformin","confidence":0.9},"dose_mg":{"value":"500","quote":"500 mg","confidence":0.9}},
              {"drug":{"value":"Atorvastatin","quote":"Atorvastatin 20 mg","confidence":0.8},"dose_mg":{"value":"20","quote":"20 mg","confidence":0.8}}
            ]}
            """);

        var result = await sut.ExtractAsync(Note, Medications, Screen(), default);

        Assert.True(result.Ok);
        var items = result.Value!.Items;
        Assert.Equal(["Lisinopril", "Metformin"], items.Select(i => i.Fields["drug"].Value));
        Assert.Equal("10", items[0].Fields["dose_mg"].Value);
        var span = items[1].Fields["drug"].Source;
        Assert.Equal("Started  Metformin", Note.Substring(span.Start, span.Length));
        Assert.Equal(2, result.Value.Rejected);
    }

    [Fact]
    public async Task ExtractAsync_ValuesHoldPhiAndStorePhiIsOff_SameTextIsAskedAgain()
    {
        var (sut, chat) = CreateSut(o => o.AllowPhi = true);
        const string answer = """{"items":[{"drug":{"value":"Lisinopril","quote":"Lisinopril","confidence":0.97},"dose_mg":{"value":null,"quote":null,"confidence":0.9}}]}""";
        chat.Answer(answer).Answer(answer);

        await sut.ExtractAsync(Note, Medications, Screen(), default);
        var second = await sut.ExtractAsync(Note, Medications, Screen(), default);

        Assert.False(second.FromCache);
        Assert.Equal(2, chat.Requests.Count);
    }

    [Fact]
    public async Task ExtractAsync_SpecWithABadFieldName_ThrowsSayingWhichField()
    {
        var (sut, _) = CreateSut(o => o.AllowPhi = true);
        var spec = new ExtractionSpec("medication", "a drug", [new("dose mg", ExtractionFieldType.Number, "dose")]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ExtractAsync(Note, spec, Screen(), default));

        Assert.Contains("the field name 'dose mg' is not letters, digits and '_'", error.Message);
    }

    public void Dispose() => _tiers.Dispose();

    /// <summary>A meter factory for tests that do not look at metrics.</summary>
    private sealed class NoMeters : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
