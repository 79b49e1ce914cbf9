using System.Globalization;
using System.Text.Json;

namespace RpaWorker.Cli.Tests.Running;

/// <summary>
/// Compares what a run published with the mock's ground truth, per patient (by MRN) and resource type, on the
/// fields a screen shows. Each resource becomes a signature; the two sides must hold the same multiset.
/// </summary>
internal static class Fidelity
{
    /// <summary>
    /// The truth a run can publish: the mock lists some medications with no prescriber, and US Core requires one on
    /// an order (us-core-21), so those are quarantined by design.
    /// </summary>
    public static bool Publishable(JsonElement truth) =>
        truth.GetProperty("resourceType").GetString() != "MedicationRequest" || truth.TryGetProperty("requester", out _);

    public static readonly string[] Types = ["Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Immunization", "Encounter"];

    /// <summary>Signatures in the truth but not the output, and the other way round, per type; empty when they agree.</summary>
    public static List<string> Differences(ChartRun run, Func<JsonElement, bool>? truthFilter = null)
    {
        var differences = new List<string>();
        var outputMrn = Mrns(run.Output("Patient"));
        var truthMrn = Mrns(run.Truth("Patient"));
        foreach (var type in Types)
        {
            var output = run.Output(type).Select(r => Signature(type, r, outputMrn)).ToList();
            var truth = run.Truth(type).Where(r => truthFilter?.Invoke(r) ?? true).Select(r => Signature(type, r, truthMrn)).ToList();
            foreach (var missing in Except(truth, output))
            {
                differences.Add($"{type} not extracted: {Hash(missing)}");
            }
            foreach (var extra in Except(output, truth))
            {
                differences.Add($"{type} extracted but not in the truth: {Hash(extra)}");
            }
        }
        return differences;
    }

    // Messages name a hash of the signature: the signature itself is patient data.
    private static string Hash(string s) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)))[..12] +
                                             $" ({s.Count(c => c == '|') + 1} fields)";

    private static IEnumerable<string> Except(List<string> a, List<string> b)
    {
        var remaining = b.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        foreach (var x in a)
        {
            if (remaining.TryGetValue(x, out var n) && n > 0)
            {
                remaining[x] = n - 1;
            }
            else
            {
                yield return x;
            }
        }
    }

    private static Dictionary<string, string> Mrns(IEnumerable<JsonElement> patients) =>
        patients.ToDictionary(p => "Patient/" + p.GetProperty("id").GetString(), p => p.GetProperty("identifier")[0].GetProperty("value").GetString()!);

    private static string Signature(string type, JsonElement r, Dictionary<string, string> mrns)
    {
        string Mrn(string property) => mrns.GetValueOrDefault(r.GetProperty(property).GetProperty("reference").GetString()!, "?");
        var parts = type switch
        {
            "Patient" => [r.GetProperty("identifier")[0].GetProperty("value").GetString(), Upper(Path(r, "name", 0, "family")),
                Upper(Path(r, "name", 0, "given", 0)), Str(r, "birthDate"), Str(r, "gender"), Path(r, "address", 0, "postalCode"), Path(r, "telecom", 0, "value")],
            "Condition" => [Mrn("subject"), Code(r, "code"), Day(Str(r, "onsetDateTime")), Day(Str(r, "abatementDateTime")), Code(r, "clinicalStatus")],
            "MedicationRequest" => [Mrn("subject"), Code(r, "medicationCodeableConcept"), Str(r, "status"), Day(Str(r, "authoredOn")), Path(r, "dosageInstruction", 0, "text")],
            "AllergyIntolerance" => [Mrn("patient"), Code(r, "code"), Str(r, "criticality"), Day(Str(r, "recordedDate")), Code(r, "clinicalStatus")],
            "Immunization" => [Mrn("patient"), Code(r, "vaccineCode"), Day(Str(r, "occurrenceDateTime"))],
            "Encounter" => [Mrn("subject"), r.GetProperty("type")[0].GetProperty("coding")[0].GetProperty("code").GetString(), Minute(Path(r, "period", "start")),
                Minute(Path(r, "period", "end")), Path(r, "class", "code")],
            _ => new[] { Mrn("subject"), Code(r, "code"), Minute(Str(r, "effectiveDateTime")), ObservationValue(r) },
        };
        return string.Join("|", parts.Select(p => p ?? ""));
    }

    private static string ObservationValue(JsonElement r)
    {
        if (r.TryGetProperty("component", out var components))
        {
            return string.Join("/", components.EnumerateArray().Select(c => Number(c.GetProperty("valueQuantity"))));
        }
        if (r.TryGetProperty("valueQuantity", out var q))
        {
            return Number(q) + " " + Str(q, "code");
        }
        if (r.TryGetProperty("valueCodeableConcept", out var cc))
        {
            return cc.TryGetProperty("coding", out var coding) ? coding[0].GetProperty("code").GetString()! : Str(cc, "text") ?? "";
        }
        return Str(r, "valueString") ?? "";
    }

    private static string Number(JsonElement quantity) =>
        quantity.GetProperty("value").GetDecimal().ToString("0.##", CultureInfo.InvariantCulture);

    private static string? Code(JsonElement r, string property) =>
        r.TryGetProperty(property, out var cc) && cc.TryGetProperty("coding", out var coding) ? coding[0].GetProperty("code").GetString() : null;

    private static string? Str(JsonElement r, string property) => r.TryGetProperty(property, out var v) ? v.GetString() : null;

    private static string? Upper(string? s) => s?.ToUpperInvariant();

    private static string? Day(string? s) => s is { Length: > 10 } ? s[..10] : s;

    // The screens show minutes; the comparison is in UTC, which is what both sides write.
    private static string? Minute(string? s) => s is { Length: >= 16 } ? s[..16] : s;

    private static string? Path(JsonElement r, params object[] steps)
    {
        var current = r;
        foreach (var step in steps)
        {
            if (step is string name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return null;
                }
            }
            else if (current.ValueKind != JsonValueKind.Array || current.GetArrayLength() <= (int)step)
            {
                return null;
            }
            else
            {
                current = current[(int)step];
            }
        }
        return current.ValueKind == JsonValueKind.String ? current.GetString() : current.ToString();
    }
}
