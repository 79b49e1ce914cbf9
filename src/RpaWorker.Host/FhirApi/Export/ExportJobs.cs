using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;

namespace RpaWorker.Host.FhirApi;

/// <summary>Where an export job stands.</summary>
internal enum ExportJobStatus
{
    InProgress,
    Completed,
    Failed,
}

/// <summary>One NDJSON output file of a finished export.</summary>
internal sealed record ExportOutputFile(string Type, string File, long Count);

/// <summary>What is kept of an export job in <c>&lt;folder&gt;/&lt;id&gt;/job.json</c>: no PHI, only the request's shape and the outcome.</summary>
internal sealed record ExportJobState
{
    public required string Id { get; init; }

    public required ExportJobStatus Status { get; init; }

    public required ExportLevel Level { get; init; }

    public IReadOnlyList<string> Types { get; init; } = [];

    public DateTimeOffset? Since { get; init; }

    /// <summary>The kick-off URL, as the manifest's <c>request</c>.</summary>
    public required string Request { get; init; }

    /// <summary>When the export started: a later export <c>_since</c> this time misses nothing.</summary>
    public required DateTimeOffset TransactionTime { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The authenticated client that kicked it off, when there was one; only it may see the job.</summary>
    public string? Owner { get; init; }

    public bool RequiresAccessToken { get; init; }

    public IReadOnlyList<ExportOutputFile> Output { get; init; } = [];

    public ConnectorFailureKind? ErrorKind { get; init; }

    public string? Error { get; init; }
}

/// <summary>
/// Runs Bulk Data export jobs in the background, each writing one NDJSON file per type into its own folder, and keeps
/// their state on disk so finished exports survive a restart (one interrupted by a restart is reported failed).
/// Finished jobs are deleted, files and all, <see cref="FhirApiOptions.ExportRetention"/> after they end.
/// </summary>
internal sealed partial class ExportJobs : IAsyncDisposable
{
    private const string StateFileName = "job.json";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly FhirApiOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ExportJobs> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();

    public ExportJobs(IOptions<FhirApiOptions> options, IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<ExportJobs> logger)
    {
        _options = options.Value;
        _scopes = scopes;
        _timeProvider = timeProvider;
        _logger = logger;
        Folder = Path.GetFullPath(_options.ExportFolder);
        Directory.CreateDirectory(Folder);
        Load();
    }

    /// <summary>The folder holding every job's state and files.</summary>
    public string Folder { get; }

    /// <summary>Starts an export; null when <see cref="FhirApiOptions.MaxConcurrentExports"/> are already running.</summary>
    public ExportJobState? Start(ExportRequest request, string requestUrl, string? owner, bool requiresAccessToken, IClinicalConnector? connector = null)
    {
        PurgeExpired();
        Job job;
        lock (_gate)
        {
            if (_jobs.Values.Count(j => j.State.Status == ExportJobStatus.InProgress) >= _options.MaxConcurrentExports)
            {
                return null;
            }

            var id = Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(JobFolder(id));
            job = new Job(new ExportJobState
            {
                Id = id,
                Status = ExportJobStatus.InProgress,
                Level = request.Level,
                Types = request.Types,
                Since = request.Since,
                Request = requestUrl,
                TransactionTime = _timeProvider.GetUtcNow(),
                Owner = owner,
                RequiresAccessToken = requiresAccessToken,
            }, CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token));
            Save(job.State);
            _jobs.Add(id, job);
        }

        job.Run = Task.Run(() => RunAsync(job, request, connector));
        return job.State;
    }

    /// <summary>The job and how many resources it has written so far; null when unknown, expired or not the caller's.</summary>
    public (ExportJobState State, long Exported)? Find(string id, string? owner)
    {
        PurgeExpired();
        lock (_gate)
        {
            return _jobs.TryGetValue(id, out var job) && Visible(job.State, owner) ? (job.State, Interlocked.Read(ref job.Exported)) : null;
        }
    }

    /// <summary>When a finished job will be deleted; null while it runs.</summary>
    public DateTimeOffset? ExpiresAt(ExportJobState state) => state.FinishedAt + _options.ExportRetention;

    /// <summary>Cancels the job if it runs, and deletes it with its files; false when unknown or not the caller's.</summary>
    public async Task<bool> DeleteAsync(string id, string? owner)
    {
        Job? job;
        lock (_gate)
        {
            if (!_jobs.TryGetValue(id, out job) || !Visible(job.State, owner))
            {
                return false;
            }

            job.Deleted = true;
            _jobs.Remove(id);
        }

        await job.Cancel.CancelAsync().ConfigureAwait(false);
        if (job.Run is { } run)
        {
            await run.ConfigureAwait(false);
        }

        DeleteFolder(id);
        return true;
    }

    /// <summary>The path of an output file of a completed job; null when the job or file is not there or not the caller's.</summary>
    public string? OutputPath(string id, string? owner, string file)
    {
        var found = Find(id, owner);
        return found is { State.Status: ExportJobStatus.Completed } && found.Value.State.Output.Any(o => o.File == file)
            ? Path.Combine(JobFolder(id), file)
            : null;
    }

    /// <summary>Deletes every finished job past its retention, files and all.</summary>
    public void PurgeExpired()
    {
        List<string> expired;
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            expired = [.. _jobs.Values.Where(j => ExpiresAt(j.State) is { } at && at <= now).Select(j => j.State.Id)];
            foreach (var id in expired)
            {
                _jobs.Remove(id);
            }
        }

        foreach (var id in expired)
        {
            DeleteFolder(id);
            LogExpired(_logger, id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _jobs.Values.Select(j => j.Run).OfType<Task>()];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private static bool Visible(ExportJobState state, string? owner) => state.Owner is null || state.Owner == owner;

    private string JobFolder(string id) => Path.Combine(Folder, id);

    /// <remarks>
    /// <paramref name="given"/> is the connector of the caller that asked (a tenant's), which must outlive the request;
    /// without one, the connector is resolved in a scope of its own.
    /// </remarks>
    private async Task RunAsync(Job job, ExportRequest request, IClinicalConnector? given)
    {
        var token = job.Cancel.Token;
        var files = new Dictionary<string, (StreamWriter Writer, ExportOutputFile Output)>(StringComparer.Ordinal);
        ExportJobState final;
        try
        {
            ConnectorFailure? failure = null;
            await using (var scope = _scopes.CreateAsyncScope())
            {
                var connector = given ?? scope.ServiceProvider.GetRequiredService<IClinicalConnector>();
                await foreach (var item in connector.ExportAsync(request, token).ConfigureAwait(false))
                {
                    if (!item.Ok)
                    {
                        failure = item.Failure;
                        break;
                    }

                    var resource = item.Value!;
                    if (!files.TryGetValue(resource.ResourceType, out var file))
                    {
                        // The type is a checked FHIR type name, so it is a safe file name; files never carry PHI in their names.
                        var name = resource.ResourceType + ".ndjson";
                        var writer = new StreamWriter(Path.Combine(JobFolder(job.State.Id), name), false, new UTF8Encoding(false)) { NewLine = "\n" };
                        files[resource.ResourceType] = file = (writer, new ExportOutputFile(resource.ResourceType, name, 0));
                    }

                    await file.Writer.WriteLineAsync(resource.Json.AsMemory(), token).ConfigureAwait(false);
                    files[resource.ResourceType] = (file.Writer, file.Output with { Count = file.Output.Count + 1 });
                    Interlocked.Increment(ref job.Exported);
                }
            }

            foreach (var (writer, _) in files.Values)
            {
                await writer.FlushAsync(token).ConfigureAwait(false);
            }

            final = failure is null
                ? job.State with { Status = ExportJobStatus.Completed, Output = [.. files.Values.Select(f => f.Output)] }
                : Failed(job.State, failure.Kind, failure.Reason);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            final = Failed(job.State, ConnectorFailureKind.Unavailable, "The worker stopped while the export ran.");
        }
        catch (Exception ex)
        {
            LogExportCrashed(_logger, ex, job.State.Id);
            final = Failed(job.State, ConnectorFailureKind.Unavailable, "The export failed on an internal error; the worker's log has the details.");
        }
        finally
        {
            foreach (var (writer, _) in files.Values)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        final = final with { FinishedAt = _timeProvider.GetUtcNow() };
        lock (_gate)
        {
            if (job.Deleted)
            {
                return;
            }

            if (final.Status == ExportJobStatus.Failed)
            {
                // Half an export is of no use and still PHI.
                foreach (var file in files.Values)
                {
                    File.Delete(Path.Combine(JobFolder(job.State.Id), file.Output.File));
                }
            }

            Save(final);
            job.State = final;
        }
    }

    private static ExportJobState Failed(ExportJobState state, ConnectorFailureKind kind, string reason) =>
        state with { Status = ExportJobStatus.Failed, ErrorKind = kind, Error = reason, Output = [] };

    private void Save(ExportJobState state)
    {
        var path = Path.Combine(JobFolder(state.Id), StateFileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(state, StateJson));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private void Load()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var folder in Directory.EnumerateDirectories(Folder))
        {
            var id = Path.GetFileName(folder);
            if (!Guid.TryParseExact(id, "N", out _))
            {
                continue;
            }

            ExportJobState? state;
            try
            {
                state = JsonSerializer.Deserialize<ExportJobState>(File.ReadAllText(Path.Combine(folder, StateFileName)), StateJson);
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                state = null;
            }

            if (state is null || state.Id != id)
            {
                // A job folder without a readable state cannot be served; its files are PHI with no owner.
                DeleteFolder(id);
                continue;
            }

            if (state.Status == ExportJobStatus.InProgress)
            {
                state = Failed(state, ConnectorFailureKind.Unavailable, "The worker restarted while the export ran; kick it off again.") with { FinishedAt = now };
                foreach (var file in Directory.EnumerateFiles(folder, "*.ndjson"))
                {
                    File.Delete(file);
                }

                Save(state);
            }

            _jobs[id] = new Job(state, CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token));
        }

        PurgeExpired();
    }

    private void DeleteFolder(string id)
    {
        try
        {
            Directory.Delete(JobFolder(id), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException ex)
        {
            LogDeleteFailed(_logger, ex, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Export job {JobId} failed on an internal error")]
    private static partial void LogExportCrashed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export job {JobId} passed its retention and was deleted")]
    private static partial void LogExpired(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export job {JobId}: its folder could not be deleted")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string jobId);

    private sealed class Job(ExportJobState state, CancellationTokenSource cancel)
    {
        public long Exported;

        public ExportJobState State { get; set; } = state;

        public CancellationTokenSource Cancel { get; } = cancel;

        public Task? Run { get; set; }

        public bool Deleted { get; set; }
    }
}
