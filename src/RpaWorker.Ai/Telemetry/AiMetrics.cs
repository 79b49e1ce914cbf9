using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RpaWorker.Ai.Telemetry;

/// <summary>
/// The tier's metrics, meter <c>RpaWorker.Ai</c>. Tags are the operation (choose, classify, extract), the provider and
/// the status; never a prompt, a value or a run id.
/// </summary>
internal sealed class AiMetrics
{
    /// <summary>The meter's name, to enable it in OpenTelemetry.</summary>
    public const string MeterName = "RpaWorker.Ai";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _inputTokens;
    private readonly Counter<long> _outputTokens;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _duration;

    public AiMetrics(IMeterFactory meterFactory, string currency)
    {
        Meter = meterFactory.Create(MeterName);
        _calls = Meter.CreateCounter<long>("rpaworker.ai.calls", "{call}", "Calls made to the AI provider, by outcome.");
        _inputTokens = Meter.CreateCounter<long>("rpaworker.ai.tokens.input", "{token}", "Prompt tokens the provider reported.");
        _outputTokens = Meter.CreateCounter<long>("rpaworker.ai.tokens.output", "{token}", "Completion tokens the provider reported.");
        _cost = Meter.CreateCounter<double>("rpaworker.ai.cost", currency, "Cost of the calls at the configured prices.");
        _cacheHits = Meter.CreateCounter<long>("rpaworker.ai.cache.hits", "{answer}", "Questions answered from the cache without a call.");
        _refusals = Meter.CreateCounter<long>("rpaworker.ai.budget.refusals", "{question}", "Questions refused because the run's budget was spent.");
        _duration = Meter.CreateHistogram<double>("rpaworker.ai.call.duration", "s", "How long provider calls took, retries included.");
    }

    public Meter Meter { get; }

    public void Call(string operation, string provider, AiStatus status, TimeSpan elapsed, long inputTokens, long outputTokens, decimal cost)
    {
        var tags = new TagList { { "operation", operation }, { "provider", provider } };
        _inputTokens.Add(inputTokens, tags);
        _outputTokens.Add(outputTokens, tags);
        _cost.Add((double)cost, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        tags.Add("status", status.ToString());
        _calls.Add(1, tags);
    }

    public void CacheHit(string operation) => _cacheHits.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void BudgetRefusal(string operation) => _refusals.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
