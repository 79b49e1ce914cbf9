using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using RpaWorker.Publishing;

namespace RpaWorker.Fhir;

/// <summary>FHIR JSON for sinks (see <see cref="PublishedResource"/>).</summary>
public static class FhirJson
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = false }.ForFhir(ModelInfo.ModelInspector);

    /// <summary>Serializes <paramref name="resource"/> as FHIR JSON on one line, without a trailing newline.</summary>
    public static string Serialize(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return JsonSerializer.Serialize(resource, resource.GetType(), Options);
    }

    /// <summary>
    /// The resource as a sink takes it: type, id, one-line JSON, and its first business identifier that has both
    /// a system and a value, as "system|value" (null when it has none).
    /// </summary>
    /// <exception cref="ArgumentException">The resource has no id (give it one with <see cref="ResourceIds.For"/>).</exception>
    public static PublishedResource ToPublished(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (string.IsNullOrEmpty(resource.Id))
        {
            throw new ArgumentException($"A {resource.TypeName} must have an id before it is published.", nameof(resource));
        }

        return new PublishedResource(resource.TypeName, resource.Id, Serialize(resource), BusinessIdentifier(resource));
    }

    private static string? BusinessIdentifier(Resource resource)
    {
        var property = ModelInfo.ModelInspector.FindClassMapping(resource.GetType())?.FindMappedElementByName("identifier");
        var identifiers = property?.NativeProperty?.GetValue(resource) switch
        {
            IEnumerable<Identifier> many => many,
            Identifier one => [one],
            _ => [],
        };
        return identifiers
            .Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value))
            .Select(i => $"{i.System}|{i.Value}")
            .FirstOrDefault();
    }
}
