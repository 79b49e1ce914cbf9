using Microsoft.Extensions.Options;

namespace RpaWorker.Host.Configuration;

/// <summary>The worker's own settings: configuration section <c>Worker</c>.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Worker";

    /// <summary>
    /// Where the worker keeps its state: the run store and schedules (embedded SQLite), each tenant's resource store,
    /// export files and traces. All of it may hold PHI; give it an encrypted volume. Default: <c>$XDG_DATA_HOME/rpaworker</c>
    /// (or <c>~/.local/share/rpaworker</c>).
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>
    /// The run store and job store: <c>sqlite</c> (default: files in <see cref="DataDirectory"/>, one process) or a
    /// PostgreSQL connection (<c>postgres://user:password@host:port/database</c> or an Npgsql connection string), which
    /// lets several workers share the schedules and split runs.
    /// </summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>This worker's name in a cluster. Default: host name and process id.</summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// With a PostgreSQL store: how often this worker tells the cluster it is alive. A worker that misses its check-ins
    /// for three times as long again is taken for dead, and another worker takes over its shards; so a dead worker's
    /// shard waits about four times this. Default 5 seconds.
    /// </summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Shards that run at once on this worker (each one browser session). Default 2.</summary>
    public int MaxConcurrentShards { get; set; } = 2;

    /// <summary>How often one patient is tried before it goes to the review queue. Default 3.</summary>
    public int MaxItemAttempts { get; set; } = 3;

    /// <summary>The wait before a failed patient's second attempt; it doubles for each further attempt. Default 5 seconds.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of a playbook step that sets none. Default 10 seconds.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How late a scheduled firing may be and still run (later ones follow the schedule's misfire policy). Default 1 minute.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The US Core 6.1.0 package. Default: RPA_US_CORE_PACKAGE, the FHIR package cache, or ../shared/data/us-core.</summary>
    public string? UsCorePackage { get; set; }

    /// <summary>A JSON file with EHR credentials (chmod 600). Default: RPA_SECRETS_FILE, then environment variables only.</summary>
    public string? SecretsFile { get; set; }

    /// <summary>Save a browser trace of each failed patient (PHI) under DataDirectory/traces. Default false.</summary>
    public bool TraceFailures { get; set; }

    /// <summary>Whether <see cref="Store"/> names PostgreSQL.</summary>
    public bool UsesPostgres => !string.Equals(Store, "sqlite", StringComparison.OrdinalIgnoreCase);

    /// <summary>The instance id to use.</summary>
    public string ResolvedInstanceId => string.IsNullOrWhiteSpace(InstanceId) ? $"{Environment.MachineName}-{Environment.ProcessId}" : InstanceId;

    private static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg;
        return Path.Combine(root, "rpaworker");
    }
}

/// <summary>Says at start-up, all at once, what is wrong with <see cref="WorkerOptions"/>.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Worker:DataDirectory is empty");
        }
        if (options.UsesPostgres && PostgresConnection.TryParse(options.Store, out _) is { } problem)
        {
            errors.Add("Worker:Store: " + problem);
        }
        if (options.MaxConcurrentShards is < 1 or > 64)
        {
            errors.Add($"Worker:MaxConcurrentShards must be from 1 to 64 (it is {options.MaxConcurrentShards})");
        }
        if (options.MaxItemAttempts is < 1 or > 20)
        {
            errors.Add($"Worker:MaxItemAttempts must be from 1 to 20 (it is {options.MaxItemAttempts})");
        }
        if (options.ClusterCheckinInterval < TimeSpan.FromSeconds(1) || options.ClusterCheckinInterval > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Worker:ClusterCheckinInterval must be from 1 second to 10 minutes (it is {options.ClusterCheckinInterval})");
        }
        if (options.RetryBackoff < TimeSpan.Zero || options.StepTimeout <= TimeSpan.Zero || options.MisfireThreshold <= TimeSpan.Zero)
        {
            errors.Add("Worker:RetryBackoff, StepTimeout and MisfireThreshold must be positive durations (e.g. \"00:00:10\")");
        }
        if (options.UsCorePackage is { Length: > 0 } package && !File.Exists(package))
        {
            errors.Add($"Worker:UsCorePackage '{package}' does not exist");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
