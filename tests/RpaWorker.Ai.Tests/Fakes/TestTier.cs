using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace RpaWorker.Ai.Tests.Fakes;

/// <summary>Builds tiers for tests and records what their meter measured.</summary>
internal sealed class TestTier : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly List<AiTier> _tiers = [];

    public TestTier()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only meters from this test's factory, so tests running in parallel do not mix their counts.
            if (instrument.Meter.Name == AiServiceCollectionExtensions.MeterName && ReferenceEquals(instrument.Meter.Scope, _services.GetRequiredService<IMeterFactory>()))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    public Dictionary<string, double> Measured { get; } = [];

    public static AiOptions Options(Action<AiOptions>? configure = null)
    {
        var options = new AiOptions { Provider = "openai-compatible", Endpoint = "http://127.0.0.1:9/v1", Model = "test-model" };
        configure?.Invoke(options);
        return options;
    }

    public AiTier Scripted(ScriptedChatClient chat, AiOptions? options = null) =>
        Track(AiTier.Create(options ?? Options(), chat, "scripted", TimeProvider.System, _services.GetRequiredService<IMeterFactory>()));

    public AiTier Real(AiOptions options) =>
        Track(AiTier.Create(options, TimeProvider.System, _services.GetRequiredService<IMeterFactory>(), environment: _ => null));

    private AiTier Track(AiTier tier)
    {
        lock (_tiers)
        {
            _tiers.Add(tier);
        }
        return tier;
    }

    private void Add(string name, double value)
    {
        lock (Measured)
        {
            Measured[name] = Measured.GetValueOrDefault(name) + value;
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var tier in _tiers)
        {
            tier.Dispose();
        }
        _services.Dispose();
    }
}
