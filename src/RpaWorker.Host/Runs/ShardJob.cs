using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using RpaWorker.Ai;
using RpaWorker.Engine.Running;
using RpaWorker.Fhir;
using RpaWorker.Host.Configuration;
using RpaWorker.Host.Extraction;
using RpaWorker.Host.Telemetry;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using RpaWorker.Publishing;

namespace RpaWorker.Host.Runs;

/// <summary>
/// Runs one shard of a run: one browser session reads the patients whose key hashes to this shard, skipping those the
/// run store already settled (the checkpoint). A Quartz job that asks for recovery, so a shard whose worker died is
/// run again — by this worker when it restarts, or by another in a cluster. Patients that fail are tried again after
/// a backoff, up to the configured attempts, then go to the review queue; the shard goes on.
/// </summary>
/// <remarks>
/// Deliberately not <see cref="DisallowConcurrentExecutionAttribute"/>: the shard claim already keeps two firings of one
/// shard apart, across the cluster, and Quartz holds back the recovery of a firing of such a job for a grace period
/// after its worker is found dead (two check-in intervals and the check-in threshold), which only delays the takeover.
/// </remarks>
internal sealed partial class ShardJob(
    RunStore store,
    IOptions<WorkerOptions> worker,
    IOptionsMonitor<EhrCatalogOptions> ehrs,
    BrowserHolder browser,
    TenantStores tenants,
    ValidatorHolder validators,
    WorkerSecrets secrets,
    WorkerMetrics metrics,
    TimeProvider time,
    IScreenAssistantProvider ai,
    IOptions<AiOptions> aiOptions,
    ILogger<ShardJob> logger) : IJob
{
    /// <summary>The Quartz group of shard jobs.</summary>
    public const string Group = "shards";

    private static readonly TimeSpan ClaimRetry = TimeSpan.FromSeconds(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var runId = context.MergedJobDataMap.TryGetValue("runId", out var r) ? r?.ToString() ?? "" : "";
        var shard = context.MergedJobDataMap.TryGetValue("shard", out var s) ? int.Parse(s?.ToString() ?? "0", CultureInfo.InvariantCulture) : 0;
        if (await store.GetRunAsync(runId, cancellationToken) is not { } queued)
        {
            return;
        }
        await using var claim = await ClaimAsync(runId, shard, queued.Ehr, cancellationToken);
        if (claim is null)
        {
            return;
        }
        var run = await store.StartShardAsync(runId, shard, worker.Value.ResolvedInstanceId, cancellationToken);
        if (run is null)
        {
            return;
        }
        if (run.Status == RunStatus.Cancelling)
        {
            await FinishAsync(run, shard, "cancelled", null);
            return;
        }
        LogShardStarted(logger, run.Id, shard, run.Shards, run.Ehr, context.Recovering);
        try
        {
            var (status, reason) = await RunShardAsync(run, shard, cancellationToken);
            await FinishAsync(run, shard, status, reason);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(run, shard, "cancelled", null);
        }
        catch (OperationCanceledException)
        {
            // The worker is shutting down: leave the shard as running; it is picked up again (same or another worker).
            LogShardInterrupted(logger, run.Id, shard);
            throw;
        }
        catch (RpaWorkerException ex)
        {
            // A broken environment (browser gone, disk full): the message is PHI-free by contract.
            await FinishAsync(run, shard, "failed", ex.Message);
        }
    }

    /// <summary>
    /// Claims the shard and one of its EHR's session slots, waiting while either is taken; null when the shard turns out
    /// to be finished. A worker that Quartz took for dead while it was only slow still holds its claim: this firing
    /// waits until that worker has finished the shard (nothing left to do) or has really died (its claim dropped).
    /// Quartz's execution limit keeps most shards of a capped EHR from firing at all; the slot is what guarantees the
    /// cap across a cluster, where several nodes acquiring at once can let one shard too many through.
    /// </summary>
    private async Task<ShardClaim?> ClaimAsync(string runId, int shard, string ehr, CancellationToken cancellationToken)
    {
        var slots = ehrs.CurrentValue.Ehrs.TryGetValue(ehr, out var configured) ? configured.MaxSessions : 1;
        while (true)
        {
            var claim = await store.TryClaimShardAsync(runId, shard, cancellationToken);
            if (claim is not null)
            {
                if ((await store.ShardsAsync(runId, cancellationToken)).FirstOrDefault(x => x.Shard == shard) is not { Status: "pending" or "running" })
                {
                    await claim.DisposeAsync();
                    return null;
                }
                if (await claim.TryTakeSessionSlotAsync(ehr, slots, cancellationToken))
                {
                    return claim;
                }
                await claim.DisposeAsync();
            }
            await Task.Delay(ClaimRetry, time, cancellationToken);
        }
    }

    private async Task<(string Status, string? Reason)> RunShardAsync(RunRecord run, int shard, CancellationToken cancellationToken)
    {
        if (!ehrs.CurrentValue.Ehrs.TryGetValue(run.Ehr, out var ehr))
        {
            return ("failed", $"the EHR '{run.Ehr}' is no longer configured");
        }
        var loaded = PlaybookLoader.LoadFile(ehr.Playbook);
        if (!loaded.Ok)
        {
            return ("failed", $"the playbook {ehr.Playbook} has {loaded.Errors.Count} error(s); first: {loaded.Errors[0]}");
        }
        var definition = loaded.Playbook!;
        IReadOnlyDictionary<string, string> credentials = new Dictionary<string, string>();
        if (definition.Credentials is { } name)
        {
            try
            {
                credentials = secrets.Credentials(name);
            }
            catch (SecretException ex)
            {
                return ("failed", ex.Message);
            }
        }
        if (validators.Validator is not { } validator)
        {
            return ("failed", "the US Core 6.1.0 package was not found (Worker:UsCorePackage or RPA_US_CORE_PACKAGE)");
        }
        var source = ehr.Source ?? $"urn:rpaworker:ehr:{run.Ehr}";
        var inputs = new Dictionary<string, string>(ehr.Inputs, StringComparer.Ordinal);
        foreach (var (key, value) in run.Inputs)
        {
            inputs[key] = value;
        }
        inputs["base_url"] = ehr.BaseUrl.TrimEnd('/');

        // Cancellation from the API arrives through the store; the engine stops between steps.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watcher = WatchForCancel(run.Id, cancel);
        var token = cancel.Token;

        var folder = tenants.Folder(run.Tenant);
        await using var extra = ehr.Sinks.Count > 0 ? SinkSpecs.Create(Path.Combine(folder, "ndjson"), ehr.Sinks, TextWriter.Null) : null;
        if (ehr.Sinks.Count > 0 && extra is null)
        {
            return ("failed", $"Ehrs:{run.Ehr}:Sinks holds a sink that is not fhir:<base url>, ndjson:<folder> or sqlite:<file>");
        }
        // The tenant's store and feed are shared with other runs and the /fhir API: this run does not own (or dispose) them.
        // The feed comes after the store, so a subscriber told of a change can read it.
        IResourceSink sink = extra is null
            ? new CompositeSink(tenants.Store(run.Tenant), tenants.Feed(run.Tenant))
            : new CompositeSink(tenants.Store(run.Tenant), tenants.Feed(run.Tenant), extra);
        var pipeline = new ExtractionPipeline(sink, validator,
            new PipelineSettings(source, definition.Id, definition.Version, string.IsNullOrWhiteSpace(worker.Value.InstanceId) ? "RpaWorker" : "RpaWorker " + worker.Value.InstanceId, Path.Combine(folder, "quarantine")), time);
        // Web playbooks share the worker's browser (a context per session); any other driver is started for the shard.
        await using var own = definition.Driver == DriverKind.Web ? null
            : await DriverFactory.CreateAsync(definition.Driver, notice => LogDriverStarted(logger, run.Id, shard, notice), token);
        var driver = own ?? await browser.GetAsync(token);
        var settled = await store.SettledItemsAsync(run.Id, token);
        var attempts = await store.AttemptsAsync(run.Id, token);
        var max = worker.Value.MaxItemAttempts;
        HashSet<string>? retry = null;
        // One assistant (one AI budget) for the shard's passes; off unless the Ai section names a provider.
        var assistant = ai.Enabled ? ai.BeginRun($"{run.Id}-{shard}") : null;
        using var usage = assistant is null ? null : new UsageReport(() => LogAiUsage(logger, run.Id, shard, AiSummary.Describe(assistant.Usage, aiOptions.Value.Budget.Currency)));
        for (var pass = 1; ; pass++)
        {
            var failed = new HashSet<string>(StringComparer.Ordinal);
            var only = retry;
            var result = await ExtractionRunner.RunAsync(driver, new ExtractionPlan
            {
                Playbook = definition,
                Inputs = inputs,
                Secrets = credentials,
                StepTimeout = worker.Value.StepTimeout,
                TimeProvider = time,
                Assistant = assistant,
                TraceDirectory = worker.Value.TraceFailures ? Path.Combine(folder, "traces", run.Id, $"shard-{shard}-pass-{pass}") : null,
                ResourceId = (type, key) => ResourceIds.For(source, type, key),
                ItemFilter = (index, key) =>
                {
                    var id = ItemId(source, key);
                    bool done;
                    lock (settled)
                    {
                        done = settled.Contains(id);
                    }
                    if (ShardOf(id, run.Shards) != shard || done || (only is not null && !only.Contains(id)))
                    {
                        return false;
                    }
                    // The filter runs right before the item: mark it in flight, so a worker that dies leaves it to be redone.
                    store.StartItemAsync(run.Id, id, shard, index + 1, ResourceIds.For(source, "Patient", key), token).GetAwaiter().GetResult();
                    return true;
                },
                OnItemsPlanned = planned => store.SetPlannedAsync(run.Id, planned, CancellationToken.None).GetAwaiter().GetResult(),
                OnStepFinished = (_, status, elapsed) => metrics.StepFinished(run.Ehr, status, elapsed),
                OnItemPublished = async (item, publication, ct) =>
                {
                    // Publishing runs beside the session reading the next chart: the shared sets are locked.
                    var id = ItemId(source, item.Key);
                    var ok = item.Status == WorkItemStatus.Succeeded;
                    int tries;
                    lock (settled)
                    {
                        tries = attempts[id] = attempts.GetValueOrDefault(id) + 1;
                        if (ok || tries >= max)
                        {
                            settled.Add(id);
                        }
                        else
                        {
                            failed.Add(id);
                        }
                    }
                    metrics.PatientFinished(run.Ehr, item, publication.Counts);
                    await store.FinishItemAsync(new ItemRecord
                    {
                        RunId = run.Id,
                        ItemId = id,
                        Shard = shard,
                        Status = ok ? ItemStatus.Succeeded : tries >= max ? ItemStatus.Review : ItemStatus.Failed,
                        Elapsed = item.Elapsed,
                        Counts = publication.Counts.ToDictionary(c => c.Key, c => new ResourceCounts(c.Value.Extracted, c.Value.Valid, c.Value.Quarantined)),
                        Reason = item.Failure?.ToString(),
                    }, CancellationToken.None);
                },
            }, pipeline, token);
            if (result.Failure is { } stopped)
            {
                // The session stopped before the end of its list (sign-in, the list itself, a guard): the patients it
                // did not reach are still to do. Another pass over every unsettled patient of the shard, as for a failed
                // patient, until the attempts are used up.
                if (result.Items.Count == 0 || pass >= max)
                {
                    return ("failed", stopped.ToString());
                }
                LogSessionStopped(logger, run.Id, shard, stopped.ToString(), pass + 1);
                await Task.Delay(worker.Value.RetryBackoff * Math.Pow(2, pass - 1), time, token);
                retry = null;
                continue;
            }
            if (failed.Count == 0)
            {
                break;
            }
            LogRetrying(logger, run.Id, shard, failed.Count, pass + 1);
            await Task.Delay(worker.Value.RetryBackoff * Math.Pow(2, pass - 1), time, token);
            retry = failed;
        }
        await store.SendFailedToReviewAsync(run.Id, shard, CancellationToken.None);
        return ("succeeded", null);
    }

    private async Task FinishAsync(RunRecord run, int shard, string status, string? reason)
    {
        var final = await store.FinishShardAsync(run.Id, shard, status, reason, CancellationToken.None);
        LogShardFinished(logger, run.Id, shard, status, reason ?? "");
        if (final is { } done and not (RunStatus.Running or RunStatus.Queued or RunStatus.Cancelling))
        {
            metrics.RunFinished(run.Ehr, RunStore.Name(done));
        }
    }

    private IDisposable WatchForCancel(string runId, CancellationTokenSource cancel)
    {
        var timer = time.CreateTimer(async _ =>
        {
            try
            {
                if (await store.IsCancelRequestedAsync(runId, CancellationToken.None))
                {
                    await cancel.CancelAsync();
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or ObjectDisposedException)
            {
                // A store hiccup: look again at the next tick.
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return timer;
    }

    /// <summary>A PHI-free id for a work item: a hash of the source and the item's key.</summary>
    internal static string ItemId(string source, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "|" + key)))[..24];

    /// <summary>The shard an item belongs to: stable whatever order the patient list is in.</summary>
    internal static int ShardOf(string itemId, int shards) =>
        (int)(uint.Parse(itemId[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % (uint)Math.Max(1, shards));

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} shard {Shard}/{Shards} on EHR {Ehr} started (recovering: {Recovering})")]
    private static partial void LogShardStarted(ILogger logger, string runId, int shard, int shards, string ehr, bool recovering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} shard {Shard} finished: {Status} {Reason}")]
    private static partial void LogShardFinished(ILogger logger, string runId, int shard, string status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} shard {Shard} was interrupted by shutdown; it resumes when a worker starts")]
    private static partial void LogShardInterrupted(ILogger logger, string runId, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} shard {Shard}: {Notice}")]
    private static partial void LogDriverStarted(ILogger logger, string runId, int shard, string notice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} shard {Shard}: the session stopped before the end of the list ({Reason}); pass {Attempt} follows after the backoff")]
    private static partial void LogSessionStopped(ILogger logger, string runId, int shard, string reason, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} shard {Shard}: {AiUsage}")]
    private static partial void LogAiUsage(ILogger logger, string runId, int shard, string aiUsage);

    /// <summary>Reports what the shard used of the AI tier however it ends (finished, failed, cancelled).</summary>
    private sealed class UsageReport(Action report) : IDisposable
    {
        public void Dispose() => report();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} shard {Shard}: {Count} patient(s) failed; attempt {Attempt} follows after the backoff")]
    private static partial void LogRetrying(ILogger logger, string runId, int shard, int count, int attempt);
}
