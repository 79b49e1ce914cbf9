using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RpaWorker.Ai.Assistant;
using RpaWorker.Ai.Caching;
using RpaWorker.Ai.Providers;
using RpaWorker.Ai.Telemetry;

namespace RpaWorker.Ai;

/// <summary>
/// What every run's assistant shares: the options, the provider client, the answer cache, the metrics. It hands out
/// one <see cref="IScreenAssistant"/> per run, each with its own budget.
/// </summary>
internal sealed class AiTier : IScreenAssistantProvider, IDisposable
{
    internal AiTier(AiOptions options, ProviderClient? client, AnswerCache cache, AiMetrics metrics, ILogger logger, TimeProvider time)
    {
        Options = options;
        Client = client;
        Cache = cache;
        Metrics = metrics;
        Logger = logger;
        Time = time;
    }

    /// <summary>The tier for <paramref name="options"/>: the configured provider, or none.</summary>
    public static AiTier Create(AiOptions options, TimeProvider time, IMeterFactory meters, ILoggerFactory? loggers = null, Func<string, string?>? environment = null, HttpMessageHandler? transport = null)
    {
        var client = ChatClientFactory.Create(options, time, environment ?? Environment.GetEnvironmentVariable, transport);
        return new AiTier(options, client, new AnswerCache(options.Cache.Path, time), new AiMetrics(meters, options.Budget.Currency), CreateLogger(loggers), time);
    }

    /// <summary>A tier over any chat client (a scripted one in tests, or one a host composes itself).</summary>
    public static AiTier Create(AiOptions options, IChatClient chat, string providerName, TimeProvider time, IMeterFactory meters, ILoggerFactory? loggers = null) =>
        new(options, new ProviderClient(chat, http: null, providerName), new AnswerCache(options.Cache.Path, time), new AiMetrics(meters, options.Budget.Currency), CreateLogger(loggers), time);

    private static ILogger CreateLogger(ILoggerFactory? loggers) => (loggers ?? NullLoggerFactory.Instance).CreateLogger("RpaWorker.Ai");

    public AiOptions Options { get; }

    public ProviderClient? Client { get; }

    public AnswerCache Cache { get; }

    public AiMetrics Metrics { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public bool Enabled => Client is not null;

    public IScreenAssistant BeginRun(string runId) => new ScreenAssistant(this, runId);

    public void Dispose()
    {
        Client?.Dispose();
        Cache.Dispose();
    }
}
