using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Quartz;
using RpaWorker.Host.Runs;

namespace RpaWorker.Host.Scheduling;

/// <summary>What happens to firings missed while the worker was down or paused, beyond the misfire threshold.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MisfirePolicy>))]
public enum MisfirePolicy
{
    /// <summary>Run once now for all the missed firings, then follow the schedule (the default).</summary>
    RunOnce,
    /// <summary>Skip missed firings; wait for the next one.</summary>
    Skip,
}

/// <summary>A schedule as the API shows and takes it.</summary>
public sealed record ScheduleDefinition
{
    /// <summary>Id (letters, digits, '-', '_'); unique within the tenant. Required.</summary>
    public string Id { get; init; } = "";
    /// <summary>The EHR to read (configuration name). Required.</summary>
    public string Ehr { get; init; } = "";
    /// <summary>A Quartz cron expression with seconds (<c>0 0 2 * * ?</c> = every day at 02:00). One of Cron or Interval.</summary>
    public string? Cron { get; init; }
    /// <summary>A fixed interval between firings (at least 1 second). One of Cron or Interval.</summary>
    public TimeSpan? Interval { get; init; }
    /// <summary>The IANA time zone the cron expression is read in. Default UTC.</summary>
    public string TimeZone { get; init; } = "UTC";
    /// <summary>What to do with missed firings. Default run once.</summary>
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.RunOnce;
    /// <summary>Playbook inputs for each run.</summary>
    public Dictionary<string, string> Inputs { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Shards per run. Default the EHR's session cap.</summary>
    public int? Shards { get; init; }
}

/// <summary>A schedule with its state.</summary>
/// <param name="Definition">What it is.</param>
/// <param name="Paused">Whether it is paused.</param>
/// <param name="NextFire">When it fires next (null when paused or done).</param>
/// <param name="PreviousFire">When it last fired.</param>
public sealed record ScheduleView(ScheduleDefinition Definition, bool Paused, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire);

/// <summary>
/// Schedules per tenant and EHR, kept by Quartz in its job store (SQLite embedded, PostgreSQL clustered), so they
/// survive restarts and, in a cluster, each firing runs on one worker only. A schedule is a Quartz job in the tenant's
/// group with one trigger; each firing starts a run through <see cref="RunService"/>.
/// </summary>
public sealed class ScheduleService(ISchedulerFactory schedulers, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What is wrong with a definition (every problem), or empty.</summary>
    public static IReadOnlyList<string> Check(ScheduleDefinition d)
    {
        var errors = new List<string>();
        if (d.Id.Length is 0 or > 100 || !d.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add("id: 1 to 100 letters, digits, '-' or '_'");
        }
        if (string.IsNullOrWhiteSpace(d.Ehr))
        {
            errors.Add("ehr is required");
        }
        if ((d.Cron is null) == (d.Interval is null))
        {
            errors.Add("give either cron or interval");
        }
        if (d.Cron is { } cron && !CronExpression.TryParse(cron, out _))
        {
            errors.Add($"cron '{cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 2 * * ?')");
        }
        if (d.Interval is { } interval && interval < TimeSpan.FromSeconds(1))
        {
            errors.Add("interval must be at least 1 second");
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out _))
        {
            errors.Add($"timeZone '{d.TimeZone}' is not a known time zone id (e.g. 'America/Chicago')");
        }
        return errors;
    }

    /// <summary>Creates or replaces a schedule.</summary>
    public async Task<ScheduleView> SaveAsync(string tenant, ScheduleDefinition definition, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = Key(tenant, definition.Id);
        var wasPaused = await scheduler.Exists(key, cancellationToken)
            && await scheduler.GetTriggerState(TriggerKeyOf(tenant, definition.Id), cancellationToken) == TriggerState.Paused;
        var job = JobBuilder.Create<ScheduledRunJob>()
            .WithIdentity(key)
            .UsingJobData("tenant", tenant)
            .UsingJobData("definition", JsonSerializer.Serialize(definition, Json))
            .StoreDurably()
            .Build();
        var builder = TriggerBuilder.Create(time).WithIdentity(TriggerKeyOf(tenant, definition.Id)).ForJob(job).StartNow();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        builder = definition.Cron is { } cron
            ? builder.WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(definition.Misfire == MisfirePolicy.Skip
                ? CronTriggerMisfireInstruction.DoNothing
                : CronTriggerMisfireInstruction.FireAndProceed))
            : builder.WithSimpleSchedule(s => s.WithInterval(definition.Interval!.Value).RepeatForever().WithMisfireInstruction(definition.Misfire == MisfirePolicy.Skip
                ? SimpleTriggerMisfireInstruction.NextWithRemainingCount
                : SimpleTriggerMisfireInstruction.NowWithExistingCount));
        await scheduler.ScheduleJob(job, [builder.Build()], new ScheduleJobOptions { Replace = true }, cancellationToken);
        if (wasPaused)
        {
            await scheduler.PauseTrigger(TriggerKeyOf(tenant, definition.Id), cancellationToken);
        }
        return (await GetAsync(tenant, definition.Id, cancellationToken))!;
    }

    /// <summary>The tenant's schedules.</summary>
    public async Task<IReadOnlyList<ScheduleView>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var views = new List<ScheduleView>();
        foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group(tenant)), cancellationToken)).OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            if (await GetAsync(tenant, key.Name, cancellationToken) is { } view)
            {
                views.Add(view);
            }
        }
        return views;
    }

    /// <summary>One schedule, or null.</summary>
    public async Task<ScheduleView?> GetAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await scheduler.GetJobDetail(Key(tenant, id), cancellationToken) is not { } job
            || !job.JobDataMap.TryGetValue("definition", out var stored)
            || JsonSerializer.Deserialize<ScheduleDefinition>(stored?.ToString() ?? "", Json) is not { } definition)
        {
            return null;
        }
        var trigger = await scheduler.GetTrigger(TriggerKeyOf(tenant, id), cancellationToken);
        var state = trigger is null ? TriggerState.None : await scheduler.GetTriggerState(trigger.Key, cancellationToken);
        var paused = state == TriggerState.Paused;
        return new ScheduleView(definition, paused, paused ? null : trigger?.NextFireTimeUtc, trigger?.PreviousFireTimeUtc);
    }

    /// <summary>Pauses (true) or resumes (false) a schedule. False when there is no such schedule.</summary>
    public async Task<bool> SetPausedAsync(string tenant, string id, bool paused, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var trigger = TriggerKeyOf(tenant, id);
        if (!await scheduler.Exists(trigger, cancellationToken))
        {
            return false;
        }
        if (paused)
        {
            await scheduler.PauseTrigger(trigger, cancellationToken);
        }
        else
        {
            await scheduler.ResumeTrigger(trigger, cancellationToken);
        }
        return true;
    }

    /// <summary>Deletes a schedule (runs it started stay). False when there is no such schedule.</summary>
    public async Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken) =>
        await (await schedulers.GetScheduler(cancellationToken)).DeleteJob(Key(tenant, id), cancellationToken);

    private static string Group(string tenant) => "schedules-" + tenant;

    private static JobKey Key(string tenant, string id) => new(id, Group(tenant));

    private static TriggerKey TriggerKeyOf(string tenant, string id) => new(id, Group(tenant));
}

/// <summary>A schedule's firing: starts a run. A firing that cannot start one (EHR removed) is logged, not retried.</summary>
internal sealed partial class ScheduledRunJob(RunService runs, ILogger<ScheduledRunJob> logger) : IJob
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var tenant = context.MergedJobDataMap.TryGetValue("tenant", out var t) ? t?.ToString() ?? "" : "";
        var definition = context.MergedJobDataMap.TryGetValue("definition", out var d) ? JsonSerializer.Deserialize<ScheduleDefinition>(d?.ToString() ?? "", Json) : null;
        if (definition is null)
        {
            return;
        }
        var (run, refusal) = await runs.StartAsync(tenant, definition.Ehr, definition.Inputs, "schedule:" + definition.Id, definition.Shards, cancellationToken);
        if (refusal is not null)
        {
            LogRefused(logger, definition.Id, tenant, refusal.Message);
        }
        else
        {
            LogFired(logger, definition.Id, tenant, run!.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} of tenant {Tenant} started run {RunId}")]
    private static partial void LogFired(ILogger logger, string scheduleId, string tenant, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId} of tenant {Tenant} could not start a run: {Reason}")]
    private static partial void LogRefused(ILogger logger, string scheduleId, string tenant, string reason);
}
