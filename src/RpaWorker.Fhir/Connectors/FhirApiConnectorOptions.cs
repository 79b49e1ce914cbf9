namespace RpaWorker.Fhir;

/// <summary>How <see cref="FhirApiConnector"/> exports.</summary>
public enum FhirApiExportMode
{
    /// <summary>Bulk Data <c>$export</c> when the server's CapabilityStatement declares it, else search.</summary>
    Auto,

    /// <summary>Always Bulk Data <c>$export</c> (kick-off, status polling, NDJSON download).</summary>
    BulkData,

    /// <summary>Always search, type by type, with <c>_lastUpdated=gt…</c> for a since time, following next links.</summary>
    Search,
}

/// <summary>How <see cref="FhirApiConnector"/> watches for changes.</summary>
public enum FhirApiChangeMode
{
    /// <summary>The server's <c>$events</c> stream when its CapabilityStatement declares it, else polling.</summary>
    Auto,

    /// <summary>Always the server-sent-events stream at <c>[base]/$events</c> (an RpaWorker FHIR surface).</summary>
    Events,

    /// <summary>Always polling: a <c>_lastUpdated</c> search per type every <see cref="FhirApiConnectorOptions.ChangePollInterval"/>.</summary>
    Poll,
}

/// <summary>Settings of a <see cref="FhirApiConnector"/>. Every default suits a FHIR server on a network.</summary>
public sealed class FhirApiConnectorOptions
{
    /// <summary>The page size (<c>_count</c>) of the searches the connector makes on its own (export by search, polling). Default 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>How long the server's CapabilityStatement is reused before it is fetched again. Default 5 minutes.</summary>
    public TimeSpan CapabilitiesCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How exports are made. Default <see cref="FhirApiExportMode.Auto"/>.</summary>
    public FhirApiExportMode ExportMode { get; set; } = FhirApiExportMode.Auto;

    /// <summary>
    /// The longest wait between two polls of a Bulk Data export's status; a server's <c>Retry-After</c> is followed up
    /// to this. Also the wait when the server gives none. Default 30 seconds.
    /// </summary>
    public TimeSpan ExportPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a Bulk Data export may take before the connector gives up on it. Default 6 hours.</summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How changes are watched. Default <see cref="FhirApiChangeMode.Auto"/>.</summary>
    public FhirApiChangeMode ChangeMode { get; set; } = FhirApiChangeMode.Auto;

    /// <summary>In polling mode, the wait between two rounds of searches. Default 30 seconds.</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// In polling mode, how far each round searches back before the newest change seen, so that a change stamped a
    /// little earlier than one already seen (clocks, concurrent writes) is not missed. Default 5 seconds.
    /// </summary>
    public TimeSpan ChangePollOverlap { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The wait before asking again when the server answers 202 (still fetching, as an RpaWorker surface does while it
    /// refreshes data on demand). Default 1 second.
    /// </summary>
    public TimeSpan PendingRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether a read also searches <c>Provenance?target=</c> for the resource's Provenance, when the server supports
    /// that search. Costs one request per read. Default true.
    /// </summary>
    public bool ReadProvenance { get; set; } = true;
}
