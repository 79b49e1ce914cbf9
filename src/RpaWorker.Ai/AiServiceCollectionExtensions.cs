using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RpaWorker.Ai;

/// <summary>Registers the AI tier.</summary>
public static class AiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IScreenAssistantProvider"/> bound to the configuration section <c>Ai</c>, validated at
    /// start. With no provider configured (the default) it is registered all the same and answers
    /// <see cref="AiStatus.Unavailable"/> without sending anything.
    /// </summary>
    public static IServiceCollection AddRpaWorkerAi(this IServiceCollection services)
    {
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AiOptions>, AiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<IScreenAssistantProvider>(sp => AiTier.Create(
            sp.GetRequiredService<IOptions<AiOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMeterFactory>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>The meter name to add to OpenTelemetry metrics: <c>RpaWorker.Ai</c>.</summary>
    public const string MeterName = Telemetry.AiMetrics.MeterName;
}
