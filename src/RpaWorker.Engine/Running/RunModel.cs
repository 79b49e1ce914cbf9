using RpaWorker.Playbooks;
using RpaWorker.Ui;

namespace RpaWorker.Engine.Running;

/// <summary>How a step ended.</summary>
public enum StepStatus
{
    /// <summary>It did what it says.</summary>
    Succeeded,
    /// <summary>An optional step whose target was absent.</summary>
    Skipped,
    /// <summary>It failed; <see cref="StepOutcome.Reason"/> says why.</summary>
    Failed,
}

/// <summary>The outcome of a step: a value, not an exception. Reasons are PHI-free.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Reason">Why it failed or was skipped.</param>
/// <param name="Failure">The driver's failure kind, when the driver failed.</param>
/// <param name="StepId">The step that failed (its id, or kind#n), for messages.</param>
/// <param name="Location">Where the step is written.</param>
public sealed record StepOutcome(StepStatus Status, string? Reason = null, UiFailure? Failure = null, string? StepId = null, SourceLocation? Location = null)
{
    /// <summary>A success.</summary>
    public static readonly StepOutcome Success = new(StepStatus.Succeeded);

    /// <summary>True unless it failed.</summary>
    public bool Ok => Status != StepStatus.Failed;

    /// <summary>Whether retrying may help (a server error page, a dropped connection, a slow page).</summary>
    public bool Transient => Failure is UiFailure.ServerError or UiFailure.Disconnected or UiFailure.Timeout;

    /// <summary>
    /// The step had read part of what it reads (the first pages of a paged table) when it failed, and the screen has
    /// moved on since: running it again from here would silently leave out what it had read. Only a retry that starts
    /// again from a known screen (a sub-flow's retry, the work item's) may repeat it.
    /// </summary>
    public bool Partial { get; init; }

    /// <summary>A failure.</summary>
    public static StepOutcome Fail(string reason, UiFailure? failure = null) => new(StepStatus.Failed, reason, failure);

    /// <summary>"step-id (file:line:col): reason".</summary>
    public override string ToString() =>
        Status == StepStatus.Succeeded ? "ok" : $"{StepId ?? "step"}{(Location is null ? "" : $" ({Location})")}: {Reason}";
}

/// <summary>A field or value that could not be read as the playbook says. The record keeps it as invalid, never guessed.</summary>
/// <param name="Reason">What was expected, PHI-free (e.g. "field 'birth_date' of 'patient' is not a date in the format 'MM/dd/yyyy'").</param>
public sealed record InvalidValue(string Reason)
{
    /// <summary>
    /// True when the driver could not vouch for what it read (an OCR reading held for review): such a value is never
    /// replaced by a template's <c>default</c>, so everything built from it is quarantined, optional field or not.
    /// </summary>
    public bool HeldForReview { get; init; }

    /// <inheritdoc />
    public override string ToString() => "";
}

/// <summary>A resource to build: the emit entry rendered for one record.</summary>
/// <param name="ResourceType">FHIR resource type.</param>
/// <param name="Key">The EHR's own key for the record (deterministic id source).</param>
/// <param name="Assignments">FHIR path to value, rendered; empty values are left out by the builder.</param>
/// <param name="Problems">Why the draft cannot be trusted (a field that did not parse); a draft with problems is quarantined.</param>
/// <param name="Location">The emit entry in the playbook.</param>
public sealed record ResourceDraft(string ResourceType, string Key, IReadOnlyList<KeyValuePair<string, string>> Assignments,
    IReadOnlyList<string> Problems, SourceLocation Location);

/// <summary>How a work item (usually a patient) ended.</summary>
public enum WorkItemStatus
{
    /// <summary>Every step succeeded; its drafts are ready.</summary>
    Succeeded,
    /// <summary>A step failed; nothing of it is published.</summary>
    Failed,
}

/// <summary>The outcome of one work item.</summary>
/// <param name="Key">The work item's key (e.g. the MRN or the list row number); may be PHI, so it is only logged through redaction.</param>
/// <param name="Index">0-based position in the run.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Failure">The failed step, when it failed.</param>
/// <param name="Drafts">The resources to build, when it succeeded.</param>
/// <param name="Screens">Addresses or window titles the data was read from, for Provenance.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="HandlerRuns">How often each handler fired, by name.</param>
public sealed record WorkItemResult(string Key, int Index, WorkItemStatus Status, StepOutcome? Failure, IReadOnlyList<ResourceDraft> Drafts,
    IReadOnlyList<string> Screens, TimeSpan Elapsed, IReadOnlyDictionary<string, int> HandlerRuns);

/// <summary>The outcome of a run.</summary>
/// <param name="Items">Every work item, in order.</param>
/// <param name="Failure">Set when the run could not go on at all (login failed before any work item), else null.</param>
public sealed record RunResult(IReadOnlyList<WorkItemResult> Items, StepOutcome? Failure)
{
    /// <summary>Work items that succeeded.</summary>
    public int Succeeded => Items.Count(i => i.Status == WorkItemStatus.Succeeded);

    /// <summary>Work items that failed.</summary>
    public int Failed => Items.Count(i => i.Status == WorkItemStatus.Failed);
}

/// <summary>What a run needs besides the playbook and the session.</summary>
public sealed record RunOptions
{
    /// <summary>Input values by name (from <c>--input key=value</c>).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();

    /// <summary>Secrets by name (user name, password), from the secret store. Never logged.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();

    /// <summary>Timeout of a step that sets none. Default 10 seconds.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a step that sets none, for transient failures. Default 3 attempts, 500 ms backoff doubling.</summary>
    public int DefaultAttempts { get; init; } = 3;

    /// <summary>Backoff before the second attempt. Default 500 ms.</summary>
    public TimeSpan DefaultBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often waits and conditions look at the screen. Default 100 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Deterministic FHIR ids for <c>| fhir_id: Type</c>.</summary>
    public Func<string, string, string>? ResourceId { get; init; }

    /// <summary>
    /// Only the work items this accepts are run (sharding, resuming), given each item's 0-based index and its key (see
    /// <see cref="WorkItemResult.Key"/>; may be PHI). Default all.
    /// </summary>
    public Func<int, string, bool>? ItemFilter { get; init; }

    /// <summary>Called when a work item ends, in order, before the next starts.</summary>
    public Func<WorkItemResult, CancellationToken, Task>? OnItemFinished { get; init; }

    /// <summary>Called when a work item starts.</summary>
    public Action<int>? OnItemStarted { get; init; }

    /// <summary>Called after each step with its id, status and duration (for step timing; ids hold no patient data).</summary>
    public Action<string, StepStatus, TimeSpan>? OnStepFinished { get; init; }

    /// <summary>Called when the list of work items is known, with its length.</summary>
    public Action<int>? OnItemsPlanned { get; init; }

    /// <summary>
    /// The LLM tier for this run (<see cref="Ai.IScreenAssistantProvider.BeginRun"/>), used by <c>llm_extract</c>. Default
    /// null: the tier is off, and an <c>llm_extract</c> step fails (or is skipped when optional) saying so.
    /// </summary>
    public Ai.IScreenAssistant? Assistant { get; init; }

    /// <summary>OCR for <c>llm_extract</c> with <c>read: image</c>. Default null: the process-wide Tesseract recognizer.</summary>
    public Vision.Ocr.ITextRecognizer? TextRecognizer { get; init; }

    /// <summary>
    /// Self-healing of targets that stop resolving (see docs/self-healing.md), or null for none. Default null; <c>rpa run</c>
    /// turns it on with a heal store beside the playbook.
    /// </summary>
    public Healing.SelfHealing? Healing { get; init; }

    /// <summary>The clock for delays. Default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
