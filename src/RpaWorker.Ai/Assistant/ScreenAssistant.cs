using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.Extensions.AI;
using RpaWorker.Ai.Budget;
using RpaWorker.Ai.Telemetry;

namespace RpaWorker.Ai.Assistant;

/// <summary>One run's assistant: asks, checks, caches and counts. See <see cref="IScreenAssistant"/>.</summary>
internal sealed partial class ScreenAssistant(AiTier tier, string runId) : IScreenAssistant
{
    // The payload goes to a model, not into HTML: escaping '<' and non-ASCII letters would only garble the placeholders and names.
    private static readonly JsonSerializerOptions PayloadJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly RunBudget _budget = new(tier.Options.Budget);
    private int _budgetLogged;

    public AiUsage Usage => _budget.Usage;

    public async Task<AiResult<ElementChoice>> ChooseElementAsync(string description, IReadOnlyList<CandidateElement> candidates, ScreenContext screen, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(screen);
        if (candidates.Count == 0)
        {
            return AiResult<ElementChoice>.Failed(AiStatus.Declined, $"no candidate elements to choose from for {screen.Origin}");
        }
        var question = Questions.ChooseElement(description, candidates, screen, tier.Options.AllowPhi);
        return await AskAsync(question, async (answer, ct) =>
        {
            var index = answer.GetProperty("index").GetInt32();
            var confidence = answer.GetProperty("confidence").GetDouble();
            if (index < 0)
            {
                return Verdict<ElementChoice>.Reject($"the model found no element that matches the description for {screen.Origin}");
            }
            if (index >= candidates.Count)
            {
                return Verdict<ElementChoice>.Reject($"the model chose candidate {index} of {candidates.Count} for {screen.Origin}");
            }
            if (!string.Equals(answer.GetProperty("role").GetString(), candidates[index].Role, StringComparison.OrdinalIgnoreCase))
            {
                // The model named another role than the candidate it picked: it lost track of the list.
                return Verdict<ElementChoice>.Reject($"the model's choice for {screen.Origin} is inconsistent: candidate {index} does not have the role it named");
            }
            if (LowConfidence(confidence) is { } unsure)
            {
                return Verdict<ElementChoice>.Reject($"{unsure} for {screen.Origin}");
            }
            var choice = new ElementChoice(index, confidence);
            if (screen.VerifyChoice is { } verify && !await verify(choice, ct))
            {
                return Verdict<ElementChoice>.Reject($"the element the model chose for {screen.Origin} did not pass the check on the screen");
            }
            return Verdict<ElementChoice>.Use(choice);
        }, cancellationToken);
    }

    public async Task<AiResult<ScreenClassification>> ClassifyScreenAsync(ScreenOutline outline, IReadOnlyList<string> handlerNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outline);
        ArgumentNullException.ThrowIfNull(handlerNames);
        var question = Questions.ClassifyScreen(outline, handlerNames, tier.Options.AllowPhi);
        return await AskAsync(question, (answer, _) =>
        {
            var kind = (ScreenKind)Questions.KindNames.ToList().IndexOf(answer.GetProperty("kind").GetString()!);
            var handler = answer.GetProperty("handler").GetString();
            var confidence = answer.GetProperty("confidence").GetDouble();
            if (handler != Questions.NoHandler && !handlerNames.Contains(handler, StringComparer.Ordinal))
            {
                return ValueTask.FromResult(Verdict<ScreenClassification>.Reject($"the model named a handler the playbook does not have for {outline.Origin}"));
            }
            if (LowConfidence(confidence) is { } unsure)
            {
                return ValueTask.FromResult(Verdict<ScreenClassification>.Reject($"{unsure} for {outline.Origin}"));
            }
            var chosen = handler == Questions.NoHandler && !handlerNames.Contains(Questions.NoHandler, StringComparer.Ordinal) ? null : handler;
            return ValueTask.FromResult(Verdict<ScreenClassification>.Use(new ScreenClassification(kind, chosen, confidence)));
        }, cancellationToken);
    }

    public async Task<AiResult<ExtractionResult>> ExtractAsync(string text, ExtractionSpec spec, ScreenContext screen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(screen);
        if (tier.Client is not null && !tier.Options.AllowPhi)
        {
            // Free text is the patient's record itself; masking it would leave nothing to extract.
            return AiResult<ExtractionResult>.Failed(AiStatus.Declined,
                $"free-text extraction for {screen.Origin} needs a provider allowed to receive PHI (Ai:AllowPhi); nothing was sent");
        }
        var question = Questions.ExtractFromText(text, spec, screen, cacheable: tier.Options.Cache.StorePhi);
        return await AskAsync(question, (answer, _) => ValueTask.FromResult(VerifyExtraction(answer, text, spec, screen.Origin)), cancellationToken);
    }

    /// <summary>
    /// A question the caller composed itself (the authoring loop's next action): the same budget, time limit and strict
    /// schema check as the built-in questions; the caller checks the answer's meaning.
    /// </summary>
    internal Task<AiResult<JsonElement>> AskComposedAsync(Question question, CancellationToken cancellationToken) =>
        AskAsync(question, (answer, _) => ValueTask.FromResult(Verdict<JsonElement>.Use(answer.Clone())), cancellationToken);

    private Verdict<ExtractionResult> VerifyExtraction(JsonElement answer, string text, ExtractionSpec spec, string origin)
    {
        var items = new List<ExtractedItem>();
        var rejected = 0;
        foreach (var item in answer.GetProperty("items").EnumerateArray())
        {
            var fields = new Dictionary<string, ExtractedValue>(StringComparer.Ordinal);
            var complete = true;
            foreach (var field in spec.Fields)
            {
                var given = item.GetProperty(field.Name);
                var value = given.GetProperty("value").GetString();
                var quote = given.GetProperty("quote").GetString();
                ExtractedValue? verified = null;
                if (!string.IsNullOrWhiteSpace(value) && !string.IsNullOrWhiteSpace(quote))
                {
                    verified = VerifyField(field, value, quote, given.GetProperty("confidence").GetDouble(), text);
                    rejected += verified is null ? 1 : 0;
                }
                if (verified is not null)
                {
                    fields[field.Name] = verified;
                }
                else if (field.Required)
                {
                    complete = false;
                }
            }
            if (complete && fields.Count > 0)
            {
                items.Add(new ExtractedItem(fields));
            }
        }
        if (items.Count == 0 && rejected > 0)
        {
            return Verdict<ExtractionResult>.Reject($"none of the {rejected} values the model extracted for {origin} could be verified against the text");
        }
        return Verdict<ExtractionResult>.Use(new ExtractionResult(items, rejected));
    }

    /// <summary>A value whose quote is in the text, whose shape fits its type and whose confidence is enough; else null.</summary>
    private ExtractedValue? VerifyField(ExtractionField field, string value, string quote, double confidence, string text)
    {
        if (LowConfidence(confidence) is not null || Locate(text, quote) is not { } span)
        {
            return null;
        }
        string? canonical = field.Type switch
        {
            ExtractionFieldType.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            ExtractionFieldType.Number => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : null,
            ExtractionFieldType.Boolean => bool.TryParse(value, out var flag) ? (flag ? "true" : "false") : null,
            // Text must be what the quote says: a model that rewrites it is not extracting any more.
            _ => Locate(quote, value) is not null ? value.Trim() : null,
        };
        if (canonical is not null && field.AllowedValues is { Count: > 0 } allowed)
        {
            canonical = allowed.FirstOrDefault(a => string.Equals(a, canonical, StringComparison.OrdinalIgnoreCase));
        }
        return canonical is null ? null : new ExtractedValue(canonical, span, confidence);
    }

    /// <summary>Where <paramref name="quote"/> is in <paramref name="text"/>, allowing for case and runs of whitespace.</summary>
    internal static TextSpan? Locate(string text, string quote)
    {
        var trimmed = quote.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        var at = text.IndexOf(trimmed, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            return new TextSpan(at, trimmed.Length);
        }
        var words = Whitespace().Split(trimmed).Select(Regex.Escape);
        var match = Regex.Match(text, string.Join(@"\s+", words), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? new TextSpan(match.Index, match.Length) : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private string? LowConfidence(double confidence) =>
        confidence < tier.Options.MinConfidence
            ? string.Create(CultureInfo.InvariantCulture, $"the model's confidence {confidence:0.00} is below Ai:MinConfidence {tier.Options.MinConfidence:0.00}")
            : null;

    /// <summary>
    /// The common path of every question: the cache, the budget, the call with its time limit, strict parsing against
    /// the schema, the caller's checks, and the metrics and logs (which never carry the prompt or the answer).
    /// </summary>
    private async Task<AiResult<T>> AskAsync<T>(Question question, Func<JsonElement, CancellationToken, ValueTask<Verdict<T>>> interpret, CancellationToken cancellationToken)
    {
        if (tier.Client is not { } client)
        {
            return AiResult<T>.Failed(AiStatus.Unavailable, $"no AI provider is configured (Ai:Provider), so {question.Origin} is not resolved by AI");
        }
        var instructions = question.Instructions;
        var payload = question.Payload.ToJsonString(PayloadJson);
        var schemaText = question.Schema.ToJsonString();
        var key = Caching.AnswerCache.Key(question.Operation, tier.Options.Model ?? "", question.Fingerprint, instructions, payload, schemaText);

        if (question.Cacheable && tier.Cache.Get(key) is { } cached)
        {
            using var document = JsonDocument.Parse(cached);
            var verdict = await interpret(document.RootElement, cancellationToken);
            if (verdict.Decline is null)
            {
                _budget.CacheHit();
                tier.Metrics.CacheHit(question.Operation);
                AiLog.CacheHit(tier.Logger, question.Operation, question.Origin, runId);
                return AiResult<T>.Answered(verdict.Value!, fromCache: true);
            }
            // The screen moved on since the answer was stored: forget it and ask again.
            tier.Cache.Remove(key);
        }

        var estimate = (instructions.Length + payload.Length + schemaText.Length) / 4 + tier.Options.MaxOutputTokens;
        if (_budget.TryTake(estimate) is { } spent)
        {
            tier.Metrics.BudgetRefusal(question.Operation);
            if (Interlocked.Exchange(ref _budgetLogged, 1) == 0)
            {
                AiLog.BudgetSpent(tier.Logger, runId, spent);
            }
            return AiResult<T>.Failed(AiStatus.BudgetExhausted, spent);
        }

        var started = tier.Time.GetTimestamp();
        var (result, input, output) = await CallAsync(client, question, instructions, payload, schemaText, interpret, cancellationToken);
        var elapsed = tier.Time.GetElapsedTime(started);
        var cost = _budget.Record(input, output);
        tier.Metrics.Call(question.Operation, client.Name, result.Status, elapsed, input, output, cost);
        AiLog.Asked(tier.Logger, question.Operation, question.Origin, runId, result.Status, (long)elapsed.TotalMilliseconds, input, output);
        if (!result.Ok)
        {
            AiLog.NotAnswered(tier.Logger, question.Operation, question.Origin, runId, result.Status, result.Reason!);
        }
        else if (question.Cacheable)
        {
            tier.Cache.Put(key, question.Operation, result.Answer!);
        }
        return result.Result;
    }

    private async Task<(Outcome<T> Result, long Input, long Output)> CallAsync<T>(Providers.ProviderClient client, Question question, string instructions, string payload, string schemaText,
        Func<JsonElement, CancellationToken, ValueTask<Verdict<T>>> interpret, CancellationToken cancellationToken)
    {
        var estimatedInput = (instructions.Length + payload.Length + schemaText.Length) / 4;
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(question.Schema), question.SchemaName),
            Temperature = 0,
            MaxOutputTokens = tier.Options.MaxOutputTokens,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true },
        };
        ChatMessage[] messages = [new(ChatRole.System, instructions), new(ChatRole.User, payload)];
        using var timeout = new CancellationTokenSource(tier.Options.Timeout, tier.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ChatResponse response;
        try
        {
            response = await client.Chat.GetResponseAsync(messages, options, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (Outcome<T>.Fail(AiStatus.ProviderFailed, string.Create(CultureInfo.InvariantCulture, $"the provider gave no answer for {question.Origin} within {tier.Options.Timeout.TotalSeconds:0.#} s (Ai:Timeout)")), estimatedInput, 0);
        }
        catch (ClientResultException ex)
        {
            // The exception's message can quote the provider's error body; the status says enough.
            var reason = ex.Status == 429
                ? $"the provider kept refusing the question for {question.Origin} as rate-limited (HTTP 429) after {tier.Options.MaxRetries} retries"
                : $"the provider answered the question for {question.Origin} with HTTP {ex.Status}";
            return (Outcome<T>.Fail(AiStatus.ProviderFailed, reason), 0, 0);
        }
        catch (HttpRequestException ex)
        {
            return (Outcome<T>.Fail(AiStatus.ProviderFailed, $"the provider could not be reached for {question.Origin} ({ex.HttpRequestError})"), 0, 0);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (Outcome<T>.Fail(AiStatus.ProviderFailed, $"the provider call for {question.Origin} failed ({ex.GetType().Name})"), 0, 0);
        }

        var input = response.Usage?.InputTokenCount ?? estimatedInput;
        var output = response.Usage?.OutputTokenCount ?? response.Text.Length / 4;
        var parsed = Parse(response.Text, question);
        if (parsed.Error is { } malformed)
        {
            return (Outcome<T>.Fail(AiStatus.ProviderFailed, malformed), input, output);
        }
        using var document = parsed.Document!;
        var verdict = await interpret(document.RootElement, cancellationToken);
        return verdict.Decline is { } declined
            ? (Outcome<T>.Fail(AiStatus.Declined, declined), input, output)
            : (new Outcome<T>(AiResult<T>.Answered(verdict.Value!), document.RootElement.GetRawText()), input, output);
    }

    /// <summary>The answer as JSON that matches the question's schema, or why it is not used.</summary>
    private static (JsonDocument? Document, string? Error) Parse(string text, Question question)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (null, $"the provider's answer for {question.Origin} is not JSON");
        }
        var evaluation = JsonSchema.FromText(question.Schema.ToJsonString())
            .Evaluate(JsonNode.Parse(text), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!evaluation.IsValid)
        {
            // Name where in the schema it failed; the model's values and the validator's messages stay out.
            var where = evaluation.Details.Where(d => !d.IsValid && d.HasErrors).Select(d => d.EvaluationPath.ToString()).FirstOrDefault() ?? "/";
            document.Dispose();
            return (null, $"the provider's answer for {question.Origin} does not match the {question.SchemaName} schema (at {where})");
        }
        return (document, null);
    }

    /// <summary>A call's result and, when answered, the answer's JSON for the cache.</summary>
    private readonly record struct Outcome<T>(AiResult<T> Result, string? Answer)
    {
        public bool Ok => Result.Ok;

        public AiStatus Status => Result.Status;

        public string? Reason => Result.Reason;

        public static Outcome<T> Fail(AiStatus status, string reason) => new(AiResult<T>.Failed(status, reason), null);
    }
}
