namespace RpaWorker.Connectors;

/// <summary>A read of one resource by type and id (FHIR <c>GET [base]/[type]/[id]</c>).</summary>
/// <param name="ResourceType">The FHIR resource type, e.g. Patient.</param>
/// <param name="Id">The resource id.</param>
public sealed record ReadRequest(string ResourceType, string Id)
{
    /// <summary>
    /// How long a connector that refreshes data on demand may wait for the source before it answers pending; null to
    /// wait until the refresh ends (or the cancellation token fires). <see cref="TimeSpan.Zero"/> never waits: a
    /// refresh that has not already finished makes the answer pending at once. Live connectors ignore it.
    /// </summary>
    public TimeSpan? MaxWait { get; init; }
}

/// <summary>A search of one resource type (FHIR <c>GET [base]/[type]?…</c>).</summary>
/// <param name="ResourceType">The FHIR resource type searched.</param>
/// <param name="Parameters">
/// The search parameters in request order, names with their modifier as FHIR writes them (<c>name:exact</c>), values
/// unescaped and as given (commas mean "or", a repeated name means "and"). Excludes <c>_count</c>, <c>_format</c>
/// and the page token, which have their own properties or no meaning here.
/// </param>
public sealed record SearchRequest(string ResourceType, IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    /// <summary>
    /// The page size asked for; null for the connector's default. Connectors may return fewer; 0 asks for the total
    /// only (no matches).
    /// </summary>
    public int? Count { get; init; }

    /// <summary>
    /// A <see cref="SearchPage.NextPageToken"/> from an earlier page of the same search, to get the page after it; null
    /// for the first page. A token is opaque, belongs to the connector that issued it, and goes with the same
    /// <see cref="ResourceType"/>, <see cref="Parameters"/> and <see cref="Count"/>.
    /// </summary>
    public string? PageToken { get; init; }

    /// <inheritdoc cref="ReadRequest.MaxWait" />
    public TimeSpan? MaxWait { get; init; }
}

/// <summary>Which resources a bulk export covers (FHIR Bulk Data Access).</summary>
public enum ExportLevel
{
    /// <summary>Every resource the connector serves (<c>[base]/$export</c>).</summary>
    System,

    /// <summary>The resources of the Patient compartment of every patient (<c>[base]/Patient/$export</c>).</summary>
    Patient,
}

/// <summary>A bulk export: every resource of the given types that changed after a time.</summary>
/// <param name="Level">System or Patient level.</param>
public sealed record ExportRequest(ExportLevel Level)
{
    /// <summary>
    /// The resource types to export, each once; empty for every type the connector serves (at Patient level: every
    /// served type in the Patient compartment). A type the connector does not serve fails the export with
    /// <see cref="ConnectorFailureKind.UnknownResourceType"/>; at Patient level, a type outside the compartment fails
    /// it with <see cref="ConnectorFailureKind.InvalidParameter"/>.
    /// </summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Only resources whose <c>meta.lastUpdated</c> is strictly later than this; null for all of them.</summary>
    public DateTimeOffset? Since { get; init; }
}

/// <summary>Which changes a subscription delivers.</summary>
public sealed record ChangeFilter
{
    /// <summary>Every change of every type served.</summary>
    public static ChangeFilter All { get; } = new();

    /// <summary>The resource types whose changes are delivered; empty for every type served.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];
}
