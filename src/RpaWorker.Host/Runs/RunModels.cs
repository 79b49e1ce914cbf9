using System.Text.Json.Serialization;

namespace RpaWorker.Host.Runs;

/// <summary>Where a run is. Stored as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Accepted; no shard has started.</summary>
    Queued,
    /// <summary>At least one shard is working.</summary>
    Running,
    /// <summary>Every patient was extracted.</summary>
    Succeeded,
    /// <summary>Finished, with patients in the review queue.</summary>
    CompletedWithFailures,
    /// <summary>Could not run at all (sign-in failed, the playbook broke before any patient).</summary>
    Failed,
    /// <summary>Asked to stop; shards stop between steps.</summary>
    Cancelling,
    /// <summary>Stopped on request.</summary>
    Cancelled,
}

/// <summary>What became of one patient in a run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ItemStatus>))]
public enum ItemStatus
{
    /// <summary>Being read now (or was, when its worker died: it is read again).</summary>
    Running,
    /// <summary>Read and published.</summary>
    Succeeded,
    /// <summary>Failed; it is tried again.</summary>
    Failed,
    /// <summary>Failed every attempt: in the review queue with its reason.</summary>
    Review,
}

/// <summary>A run as the store keeps it. Inputs may hold an MRN: shown only to the run's tenant.</summary>
public sealed record RunRecord
{
    /// <summary>Run id (32 hex digits).</summary>
    public required string Id { get; init; }
    /// <summary>The clinic.</summary>
    public required string Tenant { get; init; }
    /// <summary>The EHR (configuration name).</summary>
    public required string Ehr { get; init; }
    /// <summary>Playbook id.</summary>
    public required string PlaybookId { get; init; }
    /// <summary>Playbook version.</summary>
    public required string PlaybookVersion { get; init; }
    /// <summary>What started it: <c>api</c>, <c>schedule:&lt;id&gt;</c>, <c>on-demand</c>.</summary>
    public required string Trigger { get; init; }
    /// <summary>Playbook inputs besides the EHR's own.</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();
    /// <summary>Where it is.</summary>
    public RunStatus Status { get; init; }
    /// <summary>How many shards share its patients.</summary>
    public int Shards { get; init; } = 1;
    /// <summary>When it was accepted.</summary>
    public DateTimeOffset Created { get; init; }
    /// <summary>When its first shard started.</summary>
    public DateTimeOffset? Started { get; init; }
    /// <summary>When it finished.</summary>
    public DateTimeOffset? Finished { get; init; }
    /// <summary>Patients on the list, once a shard has read it.</summary>
    public int? Planned { get; init; }
    /// <summary>Why it failed (PHI-free).</summary>
    public string? Reason { get; init; }
}

/// <summary>A shard: the patients of a run whose key hashes to it; one session reads them.</summary>
public sealed record ShardRecord(string RunId, int Shard, string Status, string? Owner, int Attempts, DateTimeOffset? Started, DateTimeOffset? Finished, string? Reason);

/// <summary>
/// One attempt at a shard: which worker took it and when, and when and how it ended. An attempt whose worker died has
/// no end; the next attempt (the same worker restarted, or another in a cluster) starts when the shard is picked up.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Shard">The shard.</param>
/// <param name="Attempt">1 for the first attempt, counting up.</param>
/// <param name="Owner">The worker's instance id.</param>
/// <param name="Started">When the worker took the shard (its session opens after this).</param>
/// <param name="Finished">When it ended (its session closed before this); null while it runs or when its worker died.</param>
/// <param name="Status">How it ended (<c>succeeded</c>, <c>failed</c>, <c>cancelled</c>); null when it has not.</param>
public sealed record ShardAttempt(string RunId, int Shard, int Attempt, string Owner, DateTimeOffset Started, DateTimeOffset? Finished, string? Status);

/// <summary>One patient of a run. Identified by a hash of its key and by its FHIR Patient id, never by name or MRN.</summary>
public sealed record ItemRecord
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }
    /// <summary>A hash of the work item's key in the source EHR.</summary>
    public required string ItemId { get; init; }
    /// <summary>The shard it belongs to.</summary>
    public int Shard { get; init; }
    /// <summary>Its 1-based position on the patient list when last read.</summary>
    public int Position { get; init; }
    /// <summary>The id of the Patient resource it publishes (for <c>/fhir/Patient/{id}</c>).</summary>
    public string? PatientId { get; init; }
    /// <summary>Where it is.</summary>
    public ItemStatus Status { get; init; }
    /// <summary>Attempts so far.</summary>
    public int Attempts { get; init; }
    /// <summary>How long the last attempt took.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Per resource type: extracted, valid, quarantined.</summary>
    public IReadOnlyDictionary<string, ResourceCounts> Counts { get; init; } = new Dictionary<string, ResourceCounts>();
    /// <summary>Why the last attempt failed (PHI-free: the step and what went wrong).</summary>
    public string? Reason { get; init; }
    /// <summary>When it last changed.</summary>
    public DateTimeOffset Updated { get; init; }
}

/// <summary>Counts of one resource type.</summary>
/// <param name="Extracted">Drafted from the screens.</param>
/// <param name="Valid">Valid and published.</param>
/// <param name="Quarantined">Held back with reasons.</param>
public sealed record ResourceCounts(int Extracted, int Valid, int Quarantined);

/// <summary>A run's progress: item counts by status and resource counts by type.</summary>
public sealed record RunProgress(int Planned, int Succeeded, int Failed, int Review, int Running, IReadOnlyDictionary<string, ResourceCounts> Resources);
