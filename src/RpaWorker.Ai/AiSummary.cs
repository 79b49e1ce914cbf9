using System.Globalization;

namespace RpaWorker.Ai;

/// <summary>The one-line account of what a run used of the AI tier, for the end of <c>rpa run</c> and the worker's log.</summary>
public static class AiSummary
{
    /// <summary>
    /// Whether the run touched the AI tier at all (a call, a cache hit or a refusal): a run that never needed it prints
    /// nothing about it.
    /// </summary>
    public static bool Used(AiUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return usage.Calls > 0 || usage.CacheHits > 0 || usage.BudgetRefusals > 0;
    }

    /// <summary>
    /// E.g. <c>AI: 3 call(s), 1,020 tokens (960 in, 60 out), cost 0.0012 USD, 41 cache hit(s), 0 refused by the budget</c>.
    /// Counts only: no prompt, answer or screen value.
    /// </summary>
    public static string Describe(AiUsage usage, string currency)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"AI: {usage.Calls} call(s), {usage.InputTokens + usage.OutputTokens:N0} tokens ({usage.InputTokens:N0} in, {usage.OutputTokens:N0} out), ") +
               string.Create(c, $"cost {usage.Cost:0.####} {currency}, {usage.CacheHits} cache hit(s), {usage.BudgetRefusals} refused by the budget");
    }
}
