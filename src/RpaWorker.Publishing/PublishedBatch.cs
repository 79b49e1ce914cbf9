using RpaWorker.Connectors;

namespace RpaWorker.Publishing;

/// <summary>Checks and normalises a batch once, so every sink sees the same rules.</summary>
internal static class PublishedBatch
{
    /// <summary>
    /// Validates resource types and ids and keeps one resource per type and id (the last one wins, at the position
    /// of the first), because a FHIR transaction may not touch one resource twice and an upsert only keeps the last.
    /// </summary>
    /// <exception cref="RpaWorkerException">A resource type or id is not a valid FHIR name; the message names the position only.</exception>
    public static IReadOnlyList<PublishedResource> Normalize(IReadOnlyList<PublishedResource> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var positions = new Dictionary<(string Type, string Id), int>();
        var result = new List<PublishedResource>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var resource = batch[i] ?? throw new RpaWorkerException($"Resource {i} of the batch is null.");
            // The type becomes a file name and a URL segment, and the id a URL segment: both must be plain FHIR names.
            // The values themselves are not echoed: an invalid one may be anything, including data read from a screen.
            if (!FhirSyntax.IsResourceType(resource.ResourceType))
            {
                throw new RpaWorkerException($"Resource {i} of the batch has an invalid FHIR resource type.");
            }

            if (!FhirSyntax.IsId(resource.Id))
            {
                throw new RpaWorkerException($"Resource {i} of the batch ({resource.ResourceType}) has an invalid FHIR id.");
            }

            if (string.IsNullOrWhiteSpace(resource.Json))
            {
                throw new RpaWorkerException($"Resource {resource.ResourceType}/{resource.Id} has no JSON.");
            }

            if (positions.TryGetValue((resource.ResourceType, resource.Id), out var at))
            {
                result[at] = resource;
            }
            else
            {
                positions.Add((resource.ResourceType, resource.Id), result.Count);
                result.Add(resource);
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="resourceType"/> is a valid FHIR resource type name.</summary>
    public static bool IsValidType(string resourceType) => FhirSyntax.IsResourceType(resourceType);
}
