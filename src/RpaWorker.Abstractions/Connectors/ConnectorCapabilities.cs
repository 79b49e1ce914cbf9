namespace RpaWorker.Connectors;

/// <summary>
/// What a connector serves: the resource types, how each can be searched, how fresh its data is, and which of export
/// and the change stream it offers. The FHIR surface publishes this as its CapabilityStatement.
/// </summary>
public sealed record ConnectorCapabilities
{
    /// <summary>The resource types served, each once, in the order the CapabilityStatement lists them.</summary>
    public required IReadOnlyList<ResourceCapability> Resources { get; init; }

    /// <summary>True when <see cref="IClinicalConnector.ExportAsync"/> accepts <see cref="ExportLevel.System"/>.</summary>
    public bool SystemExport { get; init; }

    /// <summary>True when <see cref="IClinicalConnector.ExportAsync"/> accepts <see cref="ExportLevel.Patient"/>.</summary>
    public bool PatientExport { get; init; }

    /// <summary>True when <see cref="IClinicalConnector.SubscribeAsync"/> delivers changes.</summary>
    public bool ChangeStream { get; init; }

    /// <summary>The capability of <paramref name="resourceType"/> (ordinal match), or null when it is not served.</summary>
    public ResourceCapability? Find(string resourceType) =>
        Resources.FirstOrDefault(r => string.Equals(r.ResourceType, resourceType, StringComparison.Ordinal));
}

/// <summary>One resource type a connector serves: read by id, and search with <see cref="SearchParameters"/>.</summary>
/// <param name="ResourceType">The FHIR resource type, e.g. Observation.</param>
public sealed record ResourceCapability(string ResourceType)
{
    /// <summary>
    /// The search parameters the connector understands for this type, besides the paging controls every search takes
    /// (<c>_count</c> and the connector's page token). A search with any other parameter fails with
    /// <see cref="ConnectorFailureKind.UnsupportedParameter"/> rather than silently returning too much.
    /// </summary>
    public IReadOnlyList<SearchParameterCapability> SearchParameters { get; init; } = [];

    /// <summary>
    /// The reverse includes the connector honours, as FHIR writes them (e.g. <c>Provenance:target</c>). A connector
    /// may include these resources even when a search does not ask for them.
    /// </summary>
    public IReadOnlyList<string> RevIncludes { get; init; } = [];

    /// <summary>How fresh served data of this type is, and whether stale data is refreshed on demand.</summary>
    public FreshnessPolicy Freshness { get; init; } = FreshnessPolicy.Live;

    /// <summary>True when the type has a search parameter named <paramref name="name"/> (ordinal match).</summary>
    public bool Supports(string name) => SearchParameters.Any(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>A search parameter as a CapabilityStatement declares it.</summary>
/// <param name="Name">The parameter's code, e.g. <c>patient</c>, <c>identifier</c>, <c>_lastUpdated</c>.</param>
/// <param name="Type">The FHIR search parameter type, which fixes the value syntax (prefixes, <c>system|value</c>).</param>
public sealed record SearchParameterCapability(string Name, SearchParameterType Type);

/// <summary>FHIR R4 search parameter types (http://hl7.org/fhir/R4/valueset-search-param-type.html).</summary>
public enum SearchParameterType
{
    /// <summary>number</summary>
    Number,

    /// <summary>date: a date, dateTime or instant with optional prefix (eq, gt, ge, lt, le).</summary>
    Date,

    /// <summary>string: case-insensitive, matches the start of any part.</summary>
    String,

    /// <summary>token: <c>[system|]code</c>.</summary>
    Token,

    /// <summary>reference: <c>[Type/]id</c> or an absolute URL.</summary>
    Reference,

    /// <summary>composite</summary>
    Composite,

    /// <summary>quantity</summary>
    Quantity,

    /// <summary>uri</summary>
    Uri,

    /// <summary>special</summary>
    Special,
}

/// <summary>
/// How old served data of one resource type may be. A live connector (an API in front of the system of record) is
/// always current; a connector that serves copies says how old a copy may get before it is refreshed.
/// </summary>
/// <param name="MaxAge">
/// How long after it was last read from the source a copy is still served as is; null when the connector answers
/// from the system of record itself (always current).
/// </param>
/// <param name="RefreshOnDemand">
/// True when a read or search that meets an older copy fetches the data from the source before answering (and may
/// answer "pending" meanwhile, see <see cref="ConnectorResult{T}.IsPending"/>); false when older copies are served as
/// they are, flagged stale.
/// </param>
public sealed record FreshnessPolicy(TimeSpan? MaxAge, bool RefreshOnDemand)
{
    /// <summary>The policy of a connector that reads the system of record on every request.</summary>
    public static FreshnessPolicy Live { get; } = new(null, false);
}
