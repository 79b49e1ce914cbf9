using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace RpaWorker.Fhir;

/// <summary>FHIR JSON for sinks (see <c>RpaWorker.Publishing.PublishedResource</c>).</summary>
public static class FhirJson
{
    private static readonly JsonSerializerOptions Options = new JsonSerializerOptions { WriteIndented = false }.ForFhir(ModelInfo.ModelInspector);

    /// <summary>Serializes <paramref name="resource"/> as FHIR JSON on one line, without a trailing newline.</summary>
    public static string Serialize(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return JsonSerializer.Serialize(resource, resource.GetType(), Options);
    }
}
