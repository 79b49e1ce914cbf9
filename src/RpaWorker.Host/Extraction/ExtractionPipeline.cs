using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using RpaWorker.Engine.Running;
using RpaWorker.Fhir;
using RpaWorker.Publishing;

namespace RpaWorker.Host.Extraction;

/// <summary>Counts per resource type: drafted from the screens, valid and published, quarantined.</summary>
public sealed class TypeCounts
{
    /// <summary>Drafts read from the screens.</summary>
    public int Extracted { get; set; }
    /// <summary>Drafts that became valid US Core resources and were published.</summary>
    public int Valid { get; set; }

    /// <summary>Drafts held back with their reasons.</summary>
    public int Quarantined { get; set; }
}

/// <summary>What became of one work item's drafts.</summary>
/// <param name="Counts">Per resource type: extracted, valid (published), quarantined.</param>
/// <param name="Published">Resources published for the item, its Provenance included.</param>
public sealed record ItemPublication(IReadOnlyDictionary<string, TypeCounts> Counts, int Published)
{
    /// <summary>Nothing published (a failed item).</summary>
    public static readonly ItemPublication None = new(new Dictionary<string, TypeCounts>(), 0);
}

/// <summary>What the pipeline needs besides the work items.</summary>
/// <param name="SourceSystem">The EHR instance the data comes from (identifier and id namespace), e.g. urn:rpaworker:ehr:mock-ehr.</param>
/// <param name="PlaybookId">For Provenance.</param>
/// <param name="PlaybookVersion">For Provenance.</param>
/// <param name="WorkerName">This worker, for Provenance.</param>
/// <param name="QuarantineDirectory">Where quarantined drafts go (they hold PHI: same place as the output).</param>
public sealed record PipelineSettings(string SourceSystem, string PlaybookId, string PlaybookVersion, string WorkerName, string QuarantineDirectory);

/// <summary>
/// Turns each finished work item's drafts into US Core resources and publishes them: a draft whose values did not
/// parse, that does not build, or that fails US Core validation is quarantined with its reasons, never published
/// half-right. Each patient's valid resources go out as one batch with a Provenance.
/// </summary>
public sealed class ExtractionPipeline
{
    private readonly Lock _gate = new();
    private readonly IResourceSink sink;
    private readonly UsCoreValidator validator;
    private readonly PipelineSettings settings;
    private readonly TimeProvider time;
    private readonly System.Threading.Tasks.Task _warmUp;

    /// <summary>A pipeline publishing to <paramref name="sink"/>; starts loading US Core in the background.</summary>
    public ExtractionPipeline(IResourceSink sink, UsCoreValidator validator, PipelineSettings settings, TimeProvider time)
    {
        this.sink = sink;
        this.validator = validator;
        this.settings = settings;
        this.time = time;
        // Loading US Core takes seconds: do it while the browser logs in and reads the first chart.
        _warmUp = System.Threading.Tasks.Task.Run(validator.EnsureLoaded);
    }

    /// <summary>Counts per resource type over every item so far.</summary>
    public SortedDictionary<string, TypeCounts> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Work items that failed, in the order they finished.</summary>
    public List<WorkItemResult> Failures { get; } = [];

    /// <summary>Resources published so far, Provenance included.</summary>
    public int Published { get; private set; }

    /// <summary>Drafts quarantined so far.</summary>
    public int QuarantinedTotal => Counts.Values.Sum(c => c.Quarantined);

    /// <summary>Where quarantined drafts are written, with their reasons (PHI).</summary>
    public string QuarantineFile => Path.Combine(settings.QuarantineDirectory, "quarantine.ndjson");

    /// <summary>
    /// Builds, validates and publishes one finished work item's drafts (nothing for a failed item) and says what became
    /// of them. Publishing the same item again replaces what it published before (deterministic ids).
    /// </summary>
    public async Task<ItemPublication> OnItemFinishedAsync(WorkItemResult item, CancellationToken cancellationToken)
    {
        if (item.Status == WorkItemStatus.Failed)
        {
            lock (_gate)
            {
                Failures.Add(item);
            }
            return ItemPublication.None;
        }
        await _warmUp;
        var now = time.GetUtcNow();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = item.Drafts.Select(draft =>
        {
            // The same key twice in one chart (two identical rows) must not overwrite: the second gets its own id.
            var occurrence = seen[draft.ResourceType + "|" + draft.Key] = seen.GetValueOrDefault(draft.ResourceType + "|" + draft.Key) + 1;
            return occurrence == 1 ? draft.Key : $"{draft.Key}~{occurrence}";
        }).ToList();
        // Building and validating are CPU work on independent resources: use every core, keep the screen order.
        var outcomes = new (Resource? Resource, List<string> Reasons)[item.Drafts.Count];
        Parallel.For(0, item.Drafts.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => outcomes[i] = Check(item.Drafts[i], keys[i], now));
        var batch = new List<Resource>();
        var quarantined = new List<JsonObject>();
        var itemCounts = new SortedDictionary<string, TypeCounts>(StringComparer.Ordinal);
        for (var i = 0; i < outcomes.Length; i++)
        {
            var type = item.Drafts[i].ResourceType;
            var counts = CountsFor(type);
            var mine = itemCounts.TryGetValue(type, out var found) ? found : itemCounts[type] = new TypeCounts();
            counts.Extracted++;
            mine.Extracted++;
            if (outcomes[i].Resource is { } resource && outcomes[i].Reasons.Count == 0)
            {
                counts.Valid++;
                mine.Valid++;
                batch.Add(resource);
            }
            else
            {
                counts.Quarantined++;
                mine.Quarantined++;
                quarantined.Add(QuarantineEntry(item.Drafts[i], keys[i], outcomes[i].Reasons));
            }
        }
        if (batch.Count > 0)
        {
            var provenance = ProvenanceFactory.Create(batch.Select(r => new ResourceReference($"{r.TypeName}/{r.Id}")).ToList(),
                settings.PlaybookId, settings.PlaybookVersion, settings.WorkerName, now, item.Screens.Count > 0 ? item.Screens : ["(not recorded)"]);
            provenance.Id = ResourceIds.For(settings.SourceSystem, "Provenance", $"{settings.PlaybookId}|{item.Key}");
            FhirMeta.Stamp(provenance, settings.SourceSystem, now);
            batch.Add(provenance);
            await sink.PublishAsync(batch.Select(FhirJson.ToPublished).ToList(), cancellationToken);
        }
        lock (_gate)
        {
            Published += batch.Count;
            if (quarantined.Count > 0)
            {
                Directory.CreateDirectory(settings.QuarantineDirectory);
                File.AppendAllLines(QuarantineFile, quarantined.Select(q => q.ToJsonString()));
            }
        }
        return new ItemPublication(itemCounts, batch.Count);
    }

    private (Resource? Resource, List<string> Reasons) Check(ResourceDraft draft, string key, DateTimeOffset now)
    {
        var reasons = new List<string>(draft.Problems);
        if (reasons.Count > 0)
        {
            return (null, reasons);
        }
        var built = FhirResourceBuilder.Build(draft.ResourceType, draft.Assignments);
        reasons.AddRange(built.Errors);
        if (built.Resource is not { } resource || reasons.Count > 0)
        {
            return (null, reasons);
        }
        resource.Id = ResourceIds.For(settings.SourceSystem, draft.ResourceType, key);
        UsCoreProfiles.Apply(resource);
        FhirMeta.Stamp(resource, settings.SourceSystem, now);
        // Validator messages can quote values: they go to the quarantine file (which holds PHI anyway), never to logs.
        reasons.AddRange(validator.Validate(resource).Issues.Where(i => i.Severity == ValidationSeverity.Error).Select(i => $"{i.Location}: {i.Message}"));
        return (resource, reasons);
    }

    private TypeCounts CountsFor(string type)
    {
        lock (_gate)
        {
            if (!Counts.TryGetValue(type, out var counts))
            {
                counts = Counts[type] = new TypeCounts();
            }
            return counts;
        }
    }

    // What a reviewer needs to fix the playbook or the data: the draft as rendered and why it was held back.
    private static JsonObject QuarantineEntry(ResourceDraft draft, string key, IReadOnlyList<string> reasons) => new()
    {
        ["resourceType"] = draft.ResourceType,
        ["key"] = key,
        ["playbookLocation"] = draft.Location.ToString(),
        ["reasons"] = new JsonArray(reasons.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
        ["assignments"] = new JsonObject(draft.Assignments.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value)))),
    };
}
