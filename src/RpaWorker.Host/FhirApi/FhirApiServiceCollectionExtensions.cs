using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;

namespace RpaWorker.Host.FhirApi;

/// <summary>Registration of the FHIR surface and of the store connector.</summary>
public static class FhirApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="FhirApiEndpoints.MapFhirApi"/> needs: <see cref="FhirApiOptions"/> bound from the
    /// configuration section <c>FhirApi</c> (then <paramref name="configure"/>) and validated at start, the export job
    /// runner with its retention sweep, and <see cref="TimeProvider.System"/> unless a TimeProvider is registered.
    /// The connector itself is registered separately (<see cref="AddStoreConnector"/>, or a scoped
    /// <see cref="IClinicalConnector"/> of the caller's).
    /// </summary>
    public static IServiceCollection AddFhirApi(this IServiceCollection services, Action<FhirApiOptions>? configure = null)
    {
        AddValidatedOptions<FhirApiOptions, FhirApiOptionsValidator>(services, FhirApiOptions.SectionName, configure);
        services.TryAddSingleton<ExportJobs>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExportRetentionService>());
        return services;
    }

    /// <summary>
    /// Registers the <see cref="StoreConnector"/> as the <see cref="IClinicalConnector"/> (one singleton), with <see cref="StoreConnectorOptions"/> bound from <c>FhirApi:Store</c> (then
    /// <paramref name="configure"/>) and validated at start.
    /// </summary>
    /// <remarks>
    /// The caller registers, as singletons, the <c>SqliteSink</c> the playbook runs publish into and the
    /// <c>ResourceChangeFeed</c> they publish into after it, and — for on-demand refresh — an
    /// <see cref="IPatientExtraction"/> (with <see cref="StoreConnectorOptions.PatientIdentifierSystem"/> set).
    /// </remarks>
    public static IServiceCollection AddStoreConnector(this IServiceCollection services, Action<StoreConnectorOptions>? configure = null)
    {
        AddValidatedOptions<StoreConnectorOptions, StoreConnectorOptionsValidator>(services, StoreConnectorOptions.SectionName, configure);
        services.TryAddSingleton<StoreConnector>();
        // A singleton, not a scoped factory: a scope disposes what its factories return, and the connector holds the
        // running extractions.
        services.TryAddSingleton<IClinicalConnector>(provider => provider.GetRequiredService<StoreConnector>());
        return services;
    }

    /// <summary>Options bound from <paramref name="section"/>, then <paramref name="configure"/>, validated at start; and a TimeProvider.</summary>
    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, string section, Action<TOptions>? configure)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(TimeProvider.System);
    }
}

/// <summary>Deletes finished exports past their retention, even when nobody asks for them.</summary>
internal sealed class ExportRetentionService(ExportJobs jobs, IOptions<FhirApiOptions> options, TimeProvider timeProvider) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value.ExportRetention;
        var period = retention < TimeSpan.FromMinutes(20) ? retention / 4 : TimeSpan.FromMinutes(5);
        using var timer = new PeriodicTimer(period < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                jobs.PurgeExpired();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
