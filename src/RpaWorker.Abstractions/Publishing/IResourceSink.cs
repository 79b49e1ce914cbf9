namespace RpaWorker.Publishing;

/// <summary>A FHIR resource ready to publish, as JSON. Sinks never parse PHI into logs.</summary>
/// <param name="ResourceType">FHIR resource type, e.g. Condition.</param>
/// <param name="Id">Deterministic id: the same source record always has the same id.</param>
/// <param name="Json">The resource as FHIR JSON (one line, no trailing newline).</param>
/// <param name="Identifier">A business identifier "system|value" for conditional updates, or null.</param>
public sealed record PublishedResource(string ResourceType, string Id, string Json, string? Identifier = null);

/// <summary>
/// Where extracted resources go: a local store, NDJSON files, a FHIR server, an event stream. Publishing is
/// idempotent: publishing the same resources again leaves the same state (upsert by type and id).
/// </summary>
public interface IResourceSink : IAsyncDisposable
{
    /// <summary>A short name for messages and metrics (ndjson, sqlite, fhir).</summary>
    string Name { get; }

    /// <summary>Publishes one batch (typically one patient's resources and their Provenance) as a unit where the sink can.</summary>
    Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken);
}
