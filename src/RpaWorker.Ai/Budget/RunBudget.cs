namespace RpaWorker.Ai.Budget;

/// <summary>
/// One run's allowance of provider calls and tokens, and what it has used. Once a question is refused the budget
/// stays spent for the rest of the run, so a run does not flip between using AI and not.
/// </summary>
internal sealed class RunBudget(AiBudgetOptions options)
{
    private readonly Lock _gate = new();
    private int _calls;
    private long _inputTokens;
    private long _outputTokens;
    private int _cacheHits;
    private int _refusals;
    private string? _spent;

    /// <summary>Takes one call for a question of about <paramref name="estimatedTokens"/>; null when allowed, else why not.</summary>
    public string? TryTake(long estimatedTokens)
    {
        lock (_gate)
        {
            if (_spent is null)
            {
                var used = _inputTokens + _outputTokens;
                if (_calls >= options.MaxCallsPerRun)
                {
                    _spent = $"the run's AI budget is spent: {_calls} of {options.MaxCallsPerRun} calls used (Ai:Budget:MaxCallsPerRun); AI is not used for the rest of the run";
                }
                else if (used + estimatedTokens > options.MaxTokensPerRun)
                {
                    _spent = $"the run's AI budget is spent: {used} of {options.MaxTokensPerRun} tokens used and the next question needs about {estimatedTokens} (Ai:Budget:MaxTokensPerRun); AI is not used for the rest of the run";
                }
            }
            if (_spent is not null)
            {
                _refusals++;
                return _spent;
            }
            _calls++;
            return null;
        }
    }

    /// <summary>Records the tokens a call used; returns its cost.</summary>
    public decimal Record(long inputTokens, long outputTokens)
    {
        lock (_gate)
        {
            _inputTokens += inputTokens;
            _outputTokens += outputTokens;
        }
        return Cost(inputTokens, outputTokens);
    }

    public void CacheHit()
    {
        lock (_gate)
        {
            _cacheHits++;
        }
    }

    public AiUsage Usage
    {
        get
        {
            lock (_gate)
            {
                return new AiUsage(_calls, _inputTokens, _outputTokens, Cost(_inputTokens, _outputTokens), _cacheHits, _refusals);
            }
        }
    }

    private decimal Cost(long inputTokens, long outputTokens) =>
        inputTokens / 1000m * options.PricePer1kInputTokens + outputTokens / 1000m * options.PricePer1kOutputTokens;
}
