using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using RpaWorker.Host.Configuration;
using RpaWorker.Playbooks;

namespace RpaWorker.Host.Runs;

/// <summary>Why a run could not be started: a value the API turns into a 4xx answer.</summary>
/// <param name="Status">HTTP status the API answers with.</param>
/// <param name="Message">What is wrong (PHI-free).</param>
public sealed record RunRefusal(int Status, string Message);

/// <summary>
/// Starts runs (from the API, a schedule or an on-demand read), cancels them, and at start-up puts back any shard that
/// a dead worker left behind. A run is split into shards that Quartz hands to free workers; each shard's trigger is
/// in the execution group of its EHR, whose limit is the EHR's session cap across the cluster.
/// </summary>
public sealed partial class RunService(
    RunStore store,
    ISchedulerFactory schedulers,
    IOptionsMonitor<EhrCatalogOptions> ehrs,
    TimeProvider time,
    ILogger<RunService> logger)
{
    /// <summary>The execution group of an EHR's shards.</summary>
    public static string ExecutionGroup(string ehr) => "ehr-" + ehr;

    /// <summary>
    /// Records a run for <paramref name="tenant"/> on <paramref name="ehr"/> and queues its shards. Shards default to the
    /// EHR's session cap (one patient list split between that many sessions); a single-patient run has one.
    /// </summary>
    public async Task<(RunRecord? Run, RunRefusal? Refusal)> StartAsync(string tenant, string ehr, IReadOnlyDictionary<string, string>? inputs,
        string trigger, int? shards, CancellationToken cancellationToken)
    {
        if (!ehrs.CurrentValue.Ehrs.TryGetValue(ehr, out var options) || !string.Equals(options.Tenant, tenant, StringComparison.Ordinal))
        {
            // The same answer whether it does not exist or belongs to another clinic: no probing other tenants.
            return (null, new RunRefusal(404, $"no EHR named '{ehr}' for this tenant"));
        }
        var loaded = PlaybookLoader.LoadFile(options.Playbook);
        if (!loaded.Ok)
        {
            return (null, new RunRefusal(409, $"the EHR's playbook has {loaded.Errors.Count} error(s): {string.Join("; ", loaded.Errors.Take(3))}"));
        }
        var given = inputs ?? new Dictionary<string, string>();
        var unknown = given.Keys.Where(k => loaded.Playbook!.Inputs.All(i => i.Name != k) || k == "base_url").ToList();
        if (unknown.Count > 0)
        {
            return (null, new RunRefusal(400, $"unknown input(s) {string.Join(", ", unknown)}; the playbook takes {string.Join(", ", loaded.Playbook!.Inputs.Select(i => i.Name).Where(n => n != "base_url"))}"));
        }
        var count = shards ?? (given.ContainsKey("mrn") ? 1 : options.MaxSessions);
        if (count is < 1 or > 256)
        {
            return (null, new RunRefusal(400, "shards must be from 1 to 256"));
        }
        var run = new RunRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Tenant = tenant,
            Ehr = ehr,
            PlaybookId = loaded.Playbook!.Id,
            PlaybookVersion = loaded.Playbook.Version,
            Trigger = trigger,
            Inputs = new Dictionary<string, string>(given, StringComparer.Ordinal),
            Status = RunStatus.Queued,
            Shards = count,
            Created = time.GetUtcNow(),
        };
        await store.CreateRunAsync(run, cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        for (var shard = 0; shard < count; shard++)
        {
            await QueueShardAsync(scheduler, run, shard, cancellationToken);
        }
        LogRunStarted(logger, run.Id, tenant, ehr, count, trigger);
        return (run, null);
    }

    /// <summary>Asks a run to stop between steps. False when it is not the tenant's or has finished.</summary>
    public async Task<bool> CancelAsync(string tenant, string runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken);
        if (run is null || run.Tenant != tenant || !await store.RequestCancelAsync(runId, cancellationToken))
        {
            return false;
        }
        // Shards still waiting for a free session are finished here; running ones see the request within a second.
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var shard in await store.ShardsAsync(runId, cancellationToken))
        {
            if (shard.Status == "pending" && await scheduler.DeleteJob(ShardKey(runId, shard.Shard), cancellationToken))
            {
                await store.FinishShardAsync(runId, shard.Shard, "cancelled", null, cancellationToken);
            }
        }
        return true;
    }

    /// <summary>
    /// Queues again every shard of an unfinished run that has no job in the scheduler: the ones a worker was running when
    /// it was stopped. (A worker that died hard leaves its job in the store, and Quartz recovers it.)
    /// </summary>
    public async Task ResumeUnfinishedAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var run in await store.UnfinishedRunsAsync(cancellationToken))
        {
            foreach (var shard in await store.ShardsAsync(run.Id, cancellationToken))
            {
                if (shard.Status is "pending" or "running" && !await scheduler.Exists(ShardKey(run.Id, shard.Shard), cancellationToken))
                {
                    LogShardResumed(logger, run.Id, shard.Shard);
                    await QueueShardAsync(scheduler, run, shard.Shard, cancellationToken);
                }
            }
        }
    }

    private static JobKey ShardKey(string runId, int shard) => new($"{runId}-{shard}", ShardJob.Group);

    private async Task QueueShardAsync(IScheduler scheduler, RunRecord run, int shard, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<ShardJob>()
            .WithIdentity(ShardKey(run.Id, shard))
            .UsingJobData("runId", run.Id)
            .UsingJobData("shard", shard.ToString(CultureInfo.InvariantCulture))
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity($"{run.Id}-{shard}", ShardJob.Group)
            .ForJob(job)
            .WithExecutionGroup(ExecutionGroup(run.Ehr))
            .StartNow()
            .Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} for tenant {Tenant} on EHR {Ehr} queued in {Shards} shard(s) ({Trigger})")]
    private static partial void LogRunStarted(ILogger logger, string runId, string tenant, string ehr, int shards, string trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} shard {Shard} was left unfinished by a stopped worker; queued again")]
    private static partial void LogShardResumed(ILogger logger, string runId, int shard);
}

/// <summary>Creates the run store's tables and resumes unfinished runs once the scheduler is up.</summary>
internal sealed class RunStartup(RunStore store, RunService runs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        await runs.ResumeUnfinishedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
