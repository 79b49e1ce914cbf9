namespace RpaWorker.Connectors;

/// <summary>A FHIR resource as a connector serves it.</summary>
/// <param name="ResourceType">The FHIR resource type.</param>
/// <param name="Id">The resource id.</param>
/// <param name="Json">
/// The resource as FHIR JSON on one line. Its <c>meta.versionId</c> and <c>meta.lastUpdated</c>, when present, agree
/// with <see cref="VersionId"/> and <see cref="LastUpdated"/>.
/// </param>
public sealed record ConnectorResource(string ResourceType, string Id, string Json)
{
    /// <summary>The version id (<c>meta.versionId</c>), when the connector knows it.</summary>
    public string? VersionId { get; init; }

    /// <summary>When the resource last changed (<c>meta.lastUpdated</c>), when the connector knows it.</summary>
    public DateTimeOffset? LastUpdated { get; init; }

    /// <summary>"Type/id", the resource's relative reference.</summary>
    public string Reference => ResourceType + "/" + Id;
}

/// <summary>Where served data came from.</summary>
public enum DataOrigin
{
    /// <summary>The system of record answered this request itself (an API connector).</summary>
    Source,

    /// <summary>A stored copy young enough for the type's <see cref="FreshnessPolicy"/>.</summary>
    Store,

    /// <summary>A copy fetched from the source for this request (or a request it joined), then served.</summary>
    Refreshed,
}

/// <summary>How fresh an answer is.</summary>
/// <param name="Origin">Where the data came from.</param>
public sealed record DataFreshness(DataOrigin Origin)
{
    /// <summary>The answer of a live connector.</summary>
    public static DataFreshness Live { get; } = new(DataOrigin.Source);

    /// <summary>
    /// When the data was last read from the source; null for live answers and for answers that span several patients
    /// read at different times.
    /// </summary>
    public DateTimeOffset? RetrievedAt { get; init; }

    /// <summary>
    /// True when the stored copy is older than the policy allows and could not be refreshed (the source failed or is
    /// not reachable); the data is served anyway, and the FHIR surface marks the answer stale.
    /// </summary>
    public bool IsStale { get; init; }
}

/// <summary>The answer to a read.</summary>
/// <param name="Resource">The resource.</param>
/// <param name="Freshness">Where it came from and how old it is.</param>
public sealed record ReadResult(ConnectorResource Resource, DataFreshness Freshness)
{
    /// <summary>
    /// The Provenance resources whose target is <see cref="Resource"/> (how and when it was obtained), when the
    /// connector has them; empty otherwise.
    /// </summary>
    public IReadOnlyList<ConnectorResource> Provenance { get; init; } = [];
}

/// <summary>One page of search results.</summary>
/// <param name="Matches">The resources that match, in a stable order (paging never repeats or skips one).</param>
/// <param name="Freshness">Where they came from and how old they are.</param>
public sealed record SearchPage(IReadOnlyList<ConnectorResource> Matches, DataFreshness Freshness)
{
    /// <summary>
    /// Resources included besides the matches (search mode <c>include</c>): e.g. the Provenance of the matches. Never
    /// counted in <see cref="Total"/>.
    /// </summary>
    public IReadOnlyList<ConnectorResource> Included { get; init; } = [];

    /// <summary>How many resources match in all pages, when the connector knows.</summary>
    public int? Total { get; init; }

    /// <summary>The token for the next page (see <see cref="SearchRequest.PageToken"/>); null on the last page.</summary>
    public string? NextPageToken { get; init; }
}

/// <summary>Whether a change created a resource or updated one.</summary>
public enum ChangeKind
{
    /// <summary>The first version of the resource.</summary>
    Created,

    /// <summary>A later version of a resource that existed.</summary>
    Updated,
}

/// <summary>A created or updated resource, as a change stream delivers it.</summary>
/// <param name="Kind">Created or updated, as far as the connector can tell (an upsert it cannot tell apart is Updated).</param>
/// <param name="Resource">The resource as it is now, which may be newer than the change that announced it.</param>
public sealed record ResourceChange(ChangeKind Kind, ConnectorResource Resource);

/// <summary>
/// A live subscription to a connector's changes, from <see cref="IClinicalConnector.SubscribeAsync"/>. Dispose it to
/// unsubscribe.
/// </summary>
public interface IChangeSubscription : IAsyncDisposable
{
    /// <summary>
    /// The changes since the subscription was made, in the order the connector saw them, as they come. Enumerate once.
    /// </summary>
    /// <remarks>
    /// The sequence has no end of its own while the subscription is healthy. It ends — without an exception — when the
    /// connector could not keep delivering: the subscriber fell behind and the connector dropped it rather than slow
    /// down publishing, or the connection to the source closed. Changes may have been missed then: subscribe again,
    /// and catch up with an export since the <c>meta.lastUpdated</c> of the last change received. Cancelling
    /// <paramref name="cancellationToken"/> ends the enumeration with <see cref="OperationCanceledException"/>.
    /// A change may be delivered more than once (treat changes as upserts by type and id).
    /// </remarks>
    IAsyncEnumerable<ResourceChange> ReadAllAsync(CancellationToken cancellationToken);
}
