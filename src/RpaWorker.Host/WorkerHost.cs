using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Quartz;
using RpaWorker.Ai;
using RpaWorker.Connectors;
using RpaWorker.Host.Api;
using RpaWorker.Host.FhirApi;
using RpaWorker.Host.Configuration;
using RpaWorker.Host.Logging;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Scheduling;
using RpaWorker.Host.Security;
using RpaWorker.Host.Telemetry;
using Serilog;

namespace RpaWorker.Host;

/// <summary>
/// The worker service: <c>rpa serve</c>. Configuration comes from appsettings.json (in the working folder), an optional
/// <c>--config &lt;file&gt;</c>, environment variables (<c>RPA_Worker__Store=…</c>) and the command line
/// (<c>--Worker:Store=…</c>), and is validated at start with every problem named. It binds 127.0.0.1:5080 unless
/// <c>Urls</c> says otherwise.
/// </summary>
public static class WorkerHost
{
    /// <summary>The address the worker listens on by default: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>How often an idle worker of a cluster looks for shards other workers queued.</summary>
    private static readonly TimeSpan ClusterIdleWait = TimeSpan.FromSeconds(3);

    /// <summary>Builds the worker. <paramref name="configure"/> may add configuration or services (tests do).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
        if (builder.Configuration["config"] is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }
        builder.Configuration.AddEnvironmentVariables("RPA_");
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.Configuration["urls"] = DefaultUrl;
        }
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Quartz", Serilog.Events.LogEventLevel.Warning)
            .Enrich.With<PhiRedactionEnricher>()
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(new Serilog.Formatting.Compact.CompactJsonFormatter(),
                Path.Combine(builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.DataDirectory ?? new WorkerOptions().DataDirectory, "logs", "worker-.json"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14));
        builder.AddRpaWorker();

        var app = builder.Build();
        ValidateConfiguration(app.Services);
        app.UseErrorAnswers();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOperatorApi();
        app.MapFhirApi().RequireAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization();
        return app;
    }

    /// <summary>Checks every options section at once, so a bad configuration is reported whole before anything starts.</summary>
    /// <exception cref="OptionsValidationException">Every failure of every section.</exception>
    public static void ValidateConfiguration(IServiceProvider services)
    {
        var failures = new List<string>();
        foreach (var read in new Action[]
                 {
                     () => _ = services.GetRequiredService<IOptions<WorkerOptions>>().Value,
                     () => _ = services.GetRequiredService<IOptions<EhrCatalogOptions>>().Value,
                     () => _ = services.GetRequiredService<IOptions<AuthOptions>>().Value,
                     () => _ = services.GetRequiredService<IOptions<AiOptions>>().Value,
                 })
        {
            try
            {
                read();
            }
            catch (OptionsValidationException ex)
            {
                failures.AddRange(ex.Failures);
            }
        }
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("RpaWorker", typeof(WorkerOptions), failures);
        }
    }

    /// <summary>Registers everything the worker needs; options are validated when the host starts.</summary>
    public static IHostApplicationBuilder AddRpaWorker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var worker = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        services.AddOptions<EhrCatalogOptions>().Configure<IConfiguration>((o, c) => c.GetSection(EhrCatalogOptions.Section).Bind(o.Ehrs)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EhrCatalogOptions>, EhrCatalogValidator>());
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>());

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            return options.UsesPostgres && PostgresConnection.TryParse(options.Store, out var cs) is null
                ? RunStore.Postgres(cs, time)
                : RunStore.Sqlite(Path.Combine(options.DataDirectory, "runs.db"), time);
        });
        services.TryAddSingleton<BrowserHolder>();
        services.TryAddSingleton<TenantStores>();
        services.TryAddSingleton<ValidatorHolder>();
        services.TryAddSingleton<WorkerSecrets>();
        services.TryAddSingleton<WorkerMetrics>();
        services.TryAddSingleton<RunService>();
        services.AddHttpContextAccessor();
        services.AddFhirApi();
        services.AddOptions<StoreConnectorOptions>().BindConfiguration(StoreConnectorOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreConnectorOptions>, StoreConnectorOptionsValidator>());
        services.TryAddSingleton<TenantConnectors>();
        services.TryAddScoped<IClinicalConnector, CallerConnector>();
        services.TryAddSingleton<ScheduleService>();
        services.AddRpaWorkerAi();
        // Before Quartz's hosted service: the tables exist and stranded shards are queued before any job fires.
        services.AddHostedService<RunStartup>();

        var ehrs = new EhrCatalogOptions();
        builder.Configuration.GetSection(EhrCatalogOptions.Section).Bind(ehrs.Ehrs);
        builder.AddQuartz(q =>
        {
            // Quartz recovers the jobs a dead scheduler was running only under the same instance id: one process keeps
            // Quartz's fixed id, so a restart recovers; cluster nodes need distinct ids (the others recover theirs).
            if (worker.UsesPostgres || !string.IsNullOrWhiteSpace(worker.InstanceId))
            {
                q.ConfigureScheduler(s => s.InstanceId = worker.ResolvedInstanceId);
            }
            if (worker.UsesPostgres)
            {
                q.ConfigureScheduler(s =>
                {
                    // A node takes one shard per round, so a run's shards spread over the cluster instead of filling the
                    // first node's threads; and an idle node looks for shards queued through another node's API soon,
                    // not after Quartz's default 30 s (only the node that queued them is woken).
                    s.MaxBatchSize = 1;
                    s.IdleWaitTime = ClusterIdleWait;
                });
            }
            q.UseDefaultThreadPool(worker.MaxConcurrentShards + 1);
            q.UsePersistentStore(store =>
            {
                if (worker.UsesPostgres && PostgresConnection.TryParse(worker.Store, out var cs) is null)
                {
                    store.UsePostgres(cs);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = worker.ClusterCheckinInterval;
                        // Generous, since a worker taken for dead while it is only paused costs a takeover that has to
                        // wait for it (see ShardJob); a worker that really died is found after interval + threshold.
                        c.CheckinMisfireThreshold = worker.ClusterCheckinInterval * 3;
                    });
                }
                else
                {
                    Directory.CreateDirectory(worker.DataDirectory);
                    store.UseSqlite($"Data Source={Path.Combine(worker.DataDirectory, "scheduler.db")}");
                }
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    o.MisfireThreshold = worker.MisfireThreshold;
                    o.RecoverFiringsCancelledByShutdown = true;
                    if (worker.UsesPostgres)
                    {
                        // The trigger that recovers a dead worker's shard is due at the original firing, so for a shard
                        // that ran longer than the misfire threshold it counts as misfired: no node acquires it until a
                        // misfire sweep moves it to now, and the sweep runs once per threshold (a minute) by default.
                        o.MisfireHandlerFrequency = worker.ClusterCheckinInterval;
                    }
                });
            });
            // An EHR's session cap holds across every worker sharing the job store.
            q.UseExecutionLimits(limits =>
            {
                foreach (var (name, ehr) in ehrs.Ehrs)
                {
                    limits.ForGroup(RunService.ExecutionGroup(name), ehr.MaxSessions, worker.UsesPostgres ? ExecutionLimitScope.Cluster : ExecutionLimitScope.Node);
                }
            });
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);

        WorkerAuthentication.Add(services, builder.Configuration);
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"])
            .AddCheck<BrowserHealthCheck>("browser", tags: ["ready"]);
        services.AddOpenApi();
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(WorkerMetrics.MeterName)
            .AddMeter(AiServiceCollectionExtensions.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }
}
