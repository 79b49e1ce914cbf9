namespace RpaWorker.Publishing;

/// <summary>A resource as the local store holds it.</summary>
/// <param name="ResourceType">FHIR resource type.</param>
/// <param name="Id">Resource id.</param>
/// <param name="Json">The resource JSON exactly as last published.</param>
/// <param name="VersionId">Starts at 1 and increases by one each time a publish changes the JSON.</param>
/// <param name="LastUpdated">When the JSON last changed (store clock, UTC).</param>
public sealed record StoredResource(string ResourceType, string Id, string Json, long VersionId, DateTimeOffset LastUpdated);

/// <summary>One indexed value of a stored resource (see <see cref="StoreParameters"/>).</summary>
/// <param name="System">The identifier system; empty for other parameters and for identifiers without one.</param>
/// <param name="Value">The value as indexed (lower case for the case-insensitive parameters).</param>
public sealed record StoreIndexValue(string System, string Value);
