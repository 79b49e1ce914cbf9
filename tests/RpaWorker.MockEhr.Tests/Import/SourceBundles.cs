using System.Globalization;
using System.Text.Json;

namespace RpaWorker.MockEhr.Tests.Import;

/// <summary>
/// Reads FHIR JSON with System.Text.Json, independently of the importer, into comparable row keys holding
/// only what the screens show. Used on the source bundles and on the exported NDJSON alike.
/// </summary>
internal static class SourceBundles
{
    public static readonly string[] ImportedTypes =
        ["Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Immunization", "Encounter"];

    // The only state in the reference data, and the pass-through of codes already two letters long.
    private static readonly Dictionary<string, string> States = new(StringComparer.Ordinal) { ["Massachusetts"] = "MA" };

    /// <summary>Resources of each bundle file, by file name.</summary>
    public static IReadOnlyList<(string FileName, List<JsonElement> Resources)> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "*.json").OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), ReadBundle(f)))
            .ToList();

    /// <summary>The resources of one bundle file.</summary>
    public static List<JsonElement> ReadBundle(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").Clone()).ToList();
    }

    public static string Type(JsonElement r) => r.GetProperty("resourceType").GetString()!;

    /// <summary>The patient fields the banner and demographics screen show, by field name.</summary>
    public static Dictionary<string, string?> PatientFields(JsonElement p)
    {
        var name = p.GetProperty("name").EnumerateArray().First(n => S(n, "use") == "official");
        var address = p.TryGetProperty("address", out var a) ? a[0] : default;
        var state = S(address, "state");
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["mrn"] = p.GetProperty("identifier").EnumerateArray()
                .First(i => i.TryGetProperty("type", out var t) && t.GetProperty("coding")[0].GetProperty("code").GetString() == "MR")
                .GetProperty("value").GetString(),
            ["family"] = S(name, "family"),
            ["given"] = name.GetProperty("given")[0].GetString(),
            ["birthDate"] = S(p, "birthDate"),
            ["gender"] = S(p, "gender"),
            ["addressLine"] = address.ValueKind == JsonValueKind.Object ? address.GetProperty("line")[0].GetString() : null,
            ["city"] = S(address, "city"),
            ["state"] = state is null || state.Length == 2 ? state : States.GetValueOrDefault(state, "?" + state.Length),
            ["postalCode"] = S(address, "postalCode"),
        };
    }

    /// <summary>A row key of codes, dates, values and units, or null for a type the EHR does not show.</summary>
    public static string? RowKey(JsonElement r) => Type(r) switch
    {
        "Condition" => Join(Code(r, "code"), Date(S(r, "onsetDateTime")), Date(S(r, "abatementDateTime")), Code(r, "clinicalStatus")),
        "MedicationRequest" => Join(Code(r, "medicationCodeableConcept"), Date(S(r, "authoredOn")), S(r, "status")),
        "AllergyIntolerance" => Join(Code(r, "code"), Date(S(r, "recordedDate")), S(r, "criticality"), Code(r, "clinicalStatus"),
            r.TryGetProperty("category", out var c) ? c[0].GetString() : null),
        "Observation" => ObservationKey(r),
        "Immunization" => Join(Code(r, "vaccineCode"), Date(S(r, "occurrenceDateTime"))),
        "Encounter" => Join(r.GetProperty("type")[0].GetProperty("coding")[0].GetProperty("code").GetString(),
            S(r.GetProperty("class"), "code"), Minute(S(r.GetProperty("period"), "start")), Minute(S(r.GetProperty("period"), "end")),
            r.TryGetProperty("reasonCode", out var rc) ? rc[0].GetProperty("coding")[0].GetProperty("code").GetString() : null),
        _ => null,
    };

    private static string ObservationKey(JsonElement r)
    {
        var at = Minute(S(r, "effectiveDateTime"));
        if (r.TryGetProperty("component", out var components))
        {
            string? Part(string loinc) => components.EnumerateArray()
                .Where(c => c.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == loinc)
                .Select(c => Quantity(c.GetProperty("valueQuantity"))).FirstOrDefault();
            return Join("BP", at, Part("8480-6"), Part("8462-4"));
        }
        var code = Code(r, "code");
        if (r.TryGetProperty("valueQuantity", out var q))
        {
            return Join(code, at, Quantity(q));
        }
        if (r.TryGetProperty("valueCodeableConcept", out var cc))
        {
            return Join(code, at, cc.GetProperty("coding")[0].GetProperty("code").GetString());
        }
        return Join(code, at, S(r, "valueString"));
    }

    private static string Quantity(JsonElement q) =>
        Math.Round(q.GetProperty("value").GetDecimal(), 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture)
        + " " + (S(q, "code") ?? S(q, "unit"));

    private static string? Code(JsonElement r, string concept) =>
        r.TryGetProperty(concept, out var c) ? c.GetProperty("coding")[0].GetProperty("code").GetString() : null;

    private static string? S(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static string? Date(string? value) => value is null ? null : value[..Math.Min(10, value.Length)];

    private static string? Minute(string? value) => value is null
        ? null
        : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static string Join(params string?[] parts) => string.Join("|", parts);
}
