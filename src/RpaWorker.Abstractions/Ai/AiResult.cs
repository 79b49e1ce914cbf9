namespace RpaWorker.Ai;

/// <summary>How an AI question ended.</summary>
public enum AiStatus
{
    /// <summary>The model answered and the answer passed every check.</summary>
    Answered,
    /// <summary>
    /// No usable answer: the model found none, was not sure enough, the answer failed verification against the
    /// screen, or the question may not go to this provider (PHI).
    /// </summary>
    Declined,
    /// <summary>The run's AI budget (calls or tokens) is spent; no call was made.</summary>
    BudgetExhausted,
    /// <summary>The provider failed: an HTTP error after retries, a timeout, or an answer that is not the JSON asked for.</summary>
    ProviderFailed,
    /// <summary>No AI provider is configured (the default).</summary>
    Unavailable,
}

/// <summary>The outcome of an AI question: an answer, or why there is none.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
public readonly record struct AiResult<T>
{
    /// <summary>How it ended.</summary>
    public AiStatus Status { get; init; }

    /// <summary>The answer when <see cref="Status"/> is <see cref="AiStatus.Answered"/>.</summary>
    public T? Value { get; init; }

    /// <summary>
    /// Why there is no answer, for logs and the review queue. Names the question, the limit or the HTTP status;
    /// never prompt text, screen values or the model's words.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>True when the answer came from the cache (no call was made).</summary>
    public bool FromCache { get; init; }

    /// <summary>True when there is an answer to use.</summary>
    public bool Ok => Status == AiStatus.Answered;

    /// <summary>An answer.</summary>
    public static AiResult<T> Answered(T value, bool fromCache = false) => new() { Status = AiStatus.Answered, Value = value, FromCache = fromCache };

    /// <summary>No answer, with a PHI-free reason.</summary>
    /// <exception cref="ArgumentException"><paramref name="status"/> is <see cref="AiStatus.Answered"/>.</exception>
    public static AiResult<T> Failed(AiStatus status, string reason)
    {
        if (status == AiStatus.Answered)
        {
            throw new ArgumentException("a failure needs a status other than Answered", nameof(status));
        }
        return new() { Status = status, Reason = reason };
    }

    /// <summary>The same failure carried to another answer type.</summary>
    public AiResult<TOther> As<TOther>() => new() { Status = Status, Reason = Reason, FromCache = FromCache };
}

/// <summary>What a run has used of the AI tier.</summary>
/// <param name="Calls">Calls made to the provider (retries of one call count once).</param>
/// <param name="InputTokens">Prompt tokens the provider reported.</param>
/// <param name="OutputTokens">Completion tokens the provider reported.</param>
/// <param name="Cost">InputTokens / 1000 × input price + OutputTokens / 1000 × output price, in the configured currency.</param>
/// <param name="CacheHits">Questions answered from the cache.</param>
/// <param name="BudgetRefusals">Questions refused because the budget was spent.</param>
public sealed record AiUsage(int Calls, long InputTokens, long OutputTokens, decimal Cost, int CacheHits, int BudgetRefusals);
