using Hl7.Fhir.Model;

namespace RpaWorker.Fhir;

/// <summary>Stamps the bookkeeping part of <c>meta</c> on resources before they are published.</summary>
public static class FhirMeta
{
    /// <summary>
    /// Sets <c>meta.source</c> (where the data came from, e.g. the source EHR's URI followed by <c>#</c> and the
    /// playbook) and <c>meta.lastUpdated</c>; keeps <c>meta.profile</c> and everything else.
    /// </summary>
    public static void Stamp(Resource resource, string source, DateTimeOffset lastUpdated)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(source);
        resource.Meta ??= new Meta();
        resource.Meta.Source = source;
        resource.Meta.LastUpdated = lastUpdated;
    }
}
