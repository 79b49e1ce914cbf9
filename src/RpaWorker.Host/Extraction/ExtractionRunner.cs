using System.Threading.Channels;
using RpaWorker.Engine.Running;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Host.Extraction;

/// <summary>One extraction: a playbook over one EHR, with the sessions, filter and callbacks to run it with.</summary>
public sealed record ExtractionPlan
{
    /// <summary>The playbook, already loaded and valid.</summary>
    public required PlaybookDefinition Playbook { get; init; }

    /// <summary>Input values (base_url, mrn, ...). May hold PHI (an MRN): never logged.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>The credentials the playbook signs in with.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Timeout of a step that sets none. Default 10 seconds.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sessions working at once, each with its own login, sharing the work items. Default 1.</summary>
    public int Sessions { get; init; } = 1;

    /// <summary>Which work items to run, by index and key (shards, resuming). Default all.</summary>
    public Func<int, string, bool>? ItemFilter { get; init; }

    /// <summary>Save a trace of each failed work item here (they hold PHI). Default none.</summary>
    public string? TraceDirectory { get; init; }

    /// <summary>Deterministic FHIR ids, as the pipeline makes them.</summary>
    public Func<string, string, string>? ResourceId { get; init; }

    /// <summary>Called by each session when it knows how many work items the list has.</summary>
    public Action<int>? OnItemsPlanned { get; init; }

    /// <summary>Called when a work item starts, with its index and key.</summary>
    public Action<int>? OnItemStarted { get; init; }

    /// <summary>Called after a work item was published (or failed), before the session starts the next.</summary>
    public Func<WorkItemResult, ItemPublication, CancellationToken, Task>? OnItemPublished { get; init; }

    /// <summary>Called after each step (timing; ids hold no patient data).</summary>
    public Action<string, StepStatus, TimeSpan>? OnStepFinished { get; init; }

    /// <summary>The clock for the engine's delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Self-healing of targets that stop resolving, shared by the run's sessions; null for none. Default null.</summary>
    public RpaWorker.Engine.Healing.SelfHealing? Healing { get; init; }

    /// <summary>
    /// The LLM tier for this run (one assistant, one budget, shared by the run's sessions), from
    /// <see cref="RpaWorker.Ai.IScreenAssistantProvider.BeginRun"/>; null for none (the default): nothing is sent anywhere.
    /// </summary>
    public RpaWorker.Ai.IScreenAssistant? Assistant { get; init; }
}

/// <summary>
/// Runs an <see cref="ExtractionPlan"/>: opens the sessions, runs the playbook in each, and hands every finished work
/// item to the pipeline. With N sessions, session k takes the items whose position is k modulo N; every session reads
/// the patient list itself, so no session depends on another and a failed session fails only its own items.
/// </summary>
public static class ExtractionRunner
{
    /// <summary>Runs the plan; the result lists every item that ran, in list order.</summary>
    public static async Task<RunResult> RunAsync(IUiDriver driver, ExtractionPlan plan, ExtractionPipeline pipeline, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.Sessions, 1);
        var sessions = new List<IUiSession>();
        try
        {
            for (var k = 0; k < plan.Sessions; k++)
            {
                sessions.Add(await driver.OpenSessionAsync(new UiSessionOptions { DefaultTimeout = plan.StepTimeout, Trace = plan.TraceDirectory is not null }, cancellationToken));
            }
            var results = await Task.WhenAll(sessions.Select((session, k) => RunSessionAsync(session, k, plan, pipeline, cancellationToken)));
            if (plan.TraceDirectory is not null)
            {
                // What came after the last work item (or, when the run failed before any, the whole session).
                for (var k = 0; k < sessions.Count; k++)
                {
                    var file = Path.Combine(plan.TraceDirectory, sessions.Count == 1 ? "run.zip" : $"run-{k + 1}.zip");
                    await sessions[k].SaveTraceAsync(results[k].Failure is not null ? file : null, CancellationToken.None);
                }
            }
            return new RunResult([.. results.SelectMany(r => r.Items).OrderBy(i => i.Index)], results.Select(r => r.Failure).FirstOrDefault(f => f is not null));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static async Task<RunResult> RunSessionAsync(IUiSession session, int k, ExtractionPlan plan, ExtractionPipeline pipeline, CancellationToken cancellationToken)
    {
        var count = plan.Sessions;
        var filter = plan.ItemFilter;
        // Building, validating and publishing a chart takes a second or two of CPU: it runs while the session reads the
        // next chart, in order, one chart behind at most, so the browser does not wait for it. A chart read but not yet
        // published when the process dies is still "in flight" in the run store and is read again on resume.
        var finished = Channel.CreateBounded<WorkItemResult>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var publisher = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in finished.Reader.ReadAllAsync(cancellationToken))
                {
                    var publication = await pipeline.OnItemFinishedAsync(item, cancellationToken);
                    if (plan.OnItemPublished is { } published)
                    {
                        await published(item, publication, cancellationToken);
                    }
                }
            }
            catch (Exception ex)
            {
                // The reader stops the writer: the session's next hand-over fails instead of waiting forever.
                finished.Writer.TryComplete(ex);
                throw;
            }
        }, cancellationToken);
        RunResult result;
        try
        {
            result = await PlaybookRunner.Create(plan.Playbook).RunAsync(session, new RunOptions
            {
                Inputs = plan.Inputs,
                Secrets = plan.Secrets,
                DefaultTimeout = plan.StepTimeout,
                ResourceId = plan.ResourceId,
                TimeProvider = plan.TimeProvider,
                Healing = plan.Healing,
                Assistant = plan.Assistant,
                ItemFilter = count == 1 && filter is null ? null : (index, key) => index % count == k && (filter is null || filter(index, key)),
                OnItemsPlanned = plan.OnItemsPlanned,
                OnItemStarted = plan.OnItemStarted,
                OnStepFinished = plan.OnStepFinished,
                OnItemFinished = async (item, ct) =>
                {
                    if (plan.TraceDirectory is not null)
                    {
                        // Named by position in the run, never by who the patient is: file names end up in listings.
                        await session.SaveTraceAsync(item.Status == WorkItemStatus.Failed ? Path.Combine(plan.TraceDirectory, $"item-{item.Index + 1:D5}.zip") : null, ct);
                    }
                    await finished.Writer.WriteAsync(item, ct);
                },
            }, cancellationToken);
        }
        finally
        {
            finished.Writer.TryComplete();
        }
        await publisher;
        return result;
    }
}
