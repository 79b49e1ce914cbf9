namespace RpaWorker.Connectors;

/// <summary>
/// The canonical connector contract, shaped after FHIR R4's REST API: one interface for a plain FHIR API in front of
/// an EHR and for RpaWorker reading a legacy EHR's screens, so that a caller cannot tell them apart except by
/// provenance and freshness. Resources travel as FHIR JSON strings.
/// </summary>
/// <remarks>
/// <para>
/// Expected failures — an unknown type or id, a malformed or unsupported parameter, a source that cannot answer —
/// come back as <see cref="ConnectorResult{T}"/> values (also as the last item of an export). Implementations throw
/// only for bugs and broken environments, as <see cref="RpaWorkerException"/>; argument validation (a null request)
/// throws <see cref="ArgumentException"/>. Failure reasons never contain PHI.
/// </para>
/// <para>
/// Implementations are safe for concurrent use. A connector that serves stored copies (see
/// <see cref="FreshnessPolicy"/>) may refresh them from the source during a read or search and answer
/// <see cref="ConnectorResult{T}.IsPending"/> when the refresh outlasts the request's <c>MaxWait</c>.
/// </para>
/// </remarks>
public interface IClinicalConnector
{
    /// <summary>What this connector serves. May ask the source (and so fail with <see cref="ConnectorFailureKind.Unavailable"/>).</summary>
    Task<ConnectorResult<ConnectorCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken);

    /// <summary>Reads one resource.</summary>
    /// <returns>
    /// The resource; <see cref="ConnectorFailureKind.UnknownResourceType"/> for a type not served,
    /// <see cref="ConnectorFailureKind.NotFound"/> for an id the source does not have (including one that is not a
    /// valid FHIR id), <see cref="ConnectorFailureKind.Unavailable"/> when the source cannot answer and nothing usable
    /// is stored, or pending (see <see cref="ReadRequest.MaxWait"/>).
    /// </returns>
    Task<ConnectorResult<ReadResult>> ReadAsync(ReadRequest request, CancellationToken cancellationToken);

    /// <summary>Searches one resource type, one page at a time.</summary>
    /// <returns>
    /// A page (possibly empty: no match is not a failure); <see cref="ConnectorFailureKind.UnknownResourceType"/>,
    /// <see cref="ConnectorFailureKind.UnsupportedParameter"/> for a parameter or modifier not in the type's
    /// <see cref="ResourceCapability.SearchParameters"/>, <see cref="ConnectorFailureKind.InvalidParameter"/> for a
    /// value that does not parse or a page token that is not the connector's,
    /// <see cref="ConnectorFailureKind.Unavailable"/>, or pending.
    /// </returns>
    Task<ConnectorResult<SearchPage>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Streams every resource of the requested types that changed after <see cref="ExportRequest.Since"/>, type by
    /// type, each resource once.
    /// </summary>
    /// <remarks>
    /// Each item is a resource, or a failure; a failure is always the last item and means the export is incomplete
    /// (never report a partial export as finished). A request the connector refuses fails on the first item:
    /// <see cref="ConnectorFailureKind.NotSupported"/> when <see cref="ConnectorCapabilities.SystemExport"/> or
    /// <see cref="ConnectorCapabilities.PatientExport"/> is false for the level, or the failures listed on
    /// <see cref="ExportRequest.Types"/>. Export never refreshes data on demand: it serves what is stored. Resources
    /// changed while the export runs may or may not be in it, and are in the next export since its start.
    /// </remarks>
    IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Subscribes to created and updated resources. When the returned task completes, the subscription is live: every
    /// change after that point is delivered (see <see cref="IChangeSubscription.ReadAllAsync"/> for when delivery stops).
    /// </summary>
    /// <returns>
    /// The subscription; <see cref="ConnectorFailureKind.NotSupported"/> when <see cref="ConnectorCapabilities.ChangeStream"/>
    /// is false, <see cref="ConnectorFailureKind.UnknownResourceType"/> for a filter type not served, or
    /// <see cref="ConnectorFailureKind.Unavailable"/>.
    /// </returns>
    Task<ConnectorResult<IChangeSubscription>> SubscribeAsync(ChangeFilter filter, CancellationToken cancellationToken);
}
