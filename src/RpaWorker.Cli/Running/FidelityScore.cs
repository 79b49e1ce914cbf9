using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RpaWorker.Cli.Running;

/// <summary>Scores of one resource type.</summary>
/// <param name="Type">FHIR resource type.</param>
/// <param name="Truth">Resources in the ground truth.</param>
/// <param name="Extracted">Resources the run published.</param>
/// <param name="Matched">Pairs with the same identity (patient, code, date…).</param>
/// <param name="FieldsCompared">Fields compared over the matched pairs.</param>
/// <param name="FieldsEqual">Of those, equal.</param>
internal sealed record TypeScore(string Type, int Truth, int Extracted, int Matched, int FieldsCompared, int FieldsEqual)
{
    public double Precision => Extracted == 0 ? 1 : (double)Matched / Extracted;

    public double Recall => Truth == 0 ? 1 : (double)Matched / Truth;

    public double FieldAccuracy => FieldsCompared == 0 ? 1 : (double)FieldsEqual / FieldsCompared;
}

/// <summary>The score of a run against the ground truth, and what differed (as hashes: the values are PHI).</summary>
internal sealed record Score(IReadOnlyList<TypeScore> Types, IReadOnlyList<string> Differences);

/// <summary>
/// Compares what a run published with the mock EHR's ground truth (<c>rpa mock-ehr export</c>), per resource type,
/// on the fields the screens show. Resources are paired by identity — patient (MRN) and the record's code and
/// date — and the paired resources' other fields are compared. Patients are matched across the two sides by MRN,
/// since their ids differ. Names are compared in capitals, as the screens show them.
/// </summary>
internal static class FidelityScore
{
    public static readonly string[] Types = ["Patient", "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Immunization", "Encounter"];

    public static Score Compare(string truthDirectory, string outputDirectory, Func<JsonElement, bool>? truthFilter = null)
    {
        var truthMrn = Mrns(Read(truthDirectory, "Patient"));
        var outputMrn = Mrns(Read(outputDirectory, "Patient"));
        var scores = new List<TypeScore>();
        var differences = new List<string>();
        foreach (var type in Types)
        {
            var truth = Read(truthDirectory, type).Where(r => truthFilter?.Invoke(r) ?? true).Select(r => Describe(type, r, truthMrn)).ToList();
            var output = Read(outputDirectory, type).Select(r => Describe(type, r, outputMrn)).ToList();
            var unmatched = output.GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.ToList());
            int matched = 0, compared = 0, equal = 0;
            foreach (var t in truth)
            {
                if (!unmatched.TryGetValue(t.Key, out var candidates) || candidates.Count == 0)
                {
                    differences.Add($"{type} not extracted: {Hash(t.Key)}");
                    continue;
                }
                // Two records can share an identity (the same test twice at the same minute): pair the closest.
                var o = candidates.MaxBy(c => t.Fields.Zip(c.Fields).Count(f => f.First == f.Second));
                candidates.Remove(o);
                matched++;
                for (var i = 0; i < t.Fields.Length; i++)
                {
                    compared++;
                    if (t.Fields[i] == o.Fields[i])
                    {
                        equal++;
                    }
                    else
                    {
                        differences.Add($"{type} {Hash(t.Key)}: field {FieldNames[type][i]} differs");
                    }
                }
            }
            differences.AddRange(unmatched.Values.SelectMany(q => q).Select(o => $"{type} extracted but not in the truth: {Hash(o.Key)}"));
            scores.Add(new TypeScore(type, truth.Count, output.Count, matched, compared, equal));
        }
        return new Score(scores, differences);
    }

    /// <summary>What kind of difference a line describes, without its hash ("Observation: field value differs").</summary>
    public static string Kind(string difference)
    {
        var field = difference.IndexOf(": field ", StringComparison.Ordinal);
        return field > 0 ? difference[..difference.IndexOf(' ', StringComparison.Ordinal)] + difference[field..] : difference[..difference.LastIndexOf(':')];
    }

    /// <summary>A table of the scores, one line per type.</summary>
    public static string Format(Score score)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"Resource type",-20}{"truth",8}{"extracted",11}{"precision",11}{"recall",9}{"fields",10}{"field acc.",12}");
        foreach (var t in score.Types)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{t.Type,-20}{t.Truth,8}{t.Extracted,11}{t.Precision,11:P1}{t.Recall,9:P1}{t.FieldsCompared,10}{t.FieldAccuracy,12:P2}");
        }
        return sb.ToString();
    }

    private static readonly Dictionary<string, string[]> FieldNames = new()
    {
        ["Patient"] = ["family", "given", "birthDate", "gender", "address.line", "address.city", "address.state", "address.postalCode", "telecom", "deceased"],
        ["Condition"] = ["display", "clinicalStatus", "abatement"],
        ["MedicationRequest"] = ["display", "status", "sig", "requester"],
        ["AllergyIntolerance"] = ["display", "clinicalStatus", "criticality", "recordedDate", "category", "reaction"],
        ["Observation"] = ["value", "referenceRange.low", "referenceRange.high", "interpretation", "category"],
        ["Immunization"] = ["display"],
        ["Encounter"] = ["end", "class", "reason", "participant"],
    };

    private static (string Key, string?[] Fields) Describe(string type, JsonElement r, Dictionary<string, string> mrns)
    {
        string Mrn(string property) => mrns.GetValueOrDefault(Path(r, property, "reference") ?? "", "?");
        return type switch
        {
            "Patient" => (Path(r, "identifier", 0, "value") ?? "",
                [Upper(Path(r, "name", 0, "family")), Upper(Path(r, "name", 0, "given", 0)), Path(r, "birthDate"), Path(r, "gender"), Path(r, "address", 0, "line", 0),
                 Path(r, "address", 0, "city"), Path(r, "address", 0, "state"), Path(r, "address", 0, "postalCode"), Path(r, "telecom", 0, "value"), Day(Path(r, "deceasedDateTime"))]),
            "Condition" => (Join(Mrn("subject"), Code(r, "code"), Day(Path(r, "onsetDateTime"))),
                [Path(r, "code", "coding", 0, "display"), Code(r, "clinicalStatus"), Day(Path(r, "abatementDateTime"))]),
            "MedicationRequest" => (Join(Mrn("subject"), Code(r, "medicationCodeableConcept"), Day(Path(r, "authoredOn"))),
                [Path(r, "medicationCodeableConcept", "coding", 0, "display"), Path(r, "status"), Path(r, "dosageInstruction", 0, "text"), Path(r, "requester", "display")]),
            "AllergyIntolerance" => (Join(Mrn("patient"), Code(r, "code")),
                [Path(r, "code", "coding", 0, "display"), Code(r, "clinicalStatus"), Path(r, "criticality"), Day(Path(r, "recordedDate")), Path(r, "category", 0),
                 Path(r, "reaction", 0, "manifestation", 0, "text")]),
            "Immunization" => (Join(Mrn("patient"), Code(r, "vaccineCode"), Day(Path(r, "occurrenceDateTime"))), [Path(r, "vaccineCode", "coding", 0, "display")]),
            "Encounter" => (Join(Mrn("subject"), Minute(Path(r, "period", "start")), Path(r, "type", 0, "coding", 0, "code")),
                [Minute(Path(r, "period", "end")), Path(r, "class", "code"), Path(r, "reasonCode", 0, "coding", 0, "code"), Path(r, "participant", 0, "individual", "display")]),
            _ => (Join(Mrn("subject"), Code(r, "code"), Minute(Path(r, "effectiveDateTime"))),
                [ObservationValue(r), Number(r, "referenceRange", 0, "low", "value"), Number(r, "referenceRange", 0, "high", "value"),
                 Path(r, "interpretation", 0, "coding", 0, "code"), Path(r, "category", 0, "coding", 0, "code")]),
        };
    }

    private static string ObservationValue(JsonElement r)
    {
        if (r.TryGetProperty("component", out var components))
        {
            return string.Join("/", components.EnumerateArray().Select(c => Number(c, "valueQuantity", "value")));
        }
        if (r.TryGetProperty("valueQuantity", out _))
        {
            return $"{Number(r, "valueQuantity", "value")} {Path(r, "valueQuantity", "code") ?? Path(r, "valueQuantity", "unit")}";
        }
        return Path(r, "valueCodeableConcept", "coding", 0, "code") ?? Path(r, "valueCodeableConcept", "text") ?? Path(r, "valueString") ?? "";
    }

    private static Dictionary<string, string> Mrns(IEnumerable<JsonElement> patients)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in patients)
        {
            map["Patient/" + Path(p, "id")] = Path(p, "identifier", 0, "value") ?? "";
        }
        return map;
    }

    private static List<JsonElement> Read(string directory, string type)
    {
        var file = System.IO.Path.Combine(directory, type + ".ndjson");
        return File.Exists(file) ? File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList() : [];
    }

    private static string Join(params string?[] parts) => string.Join("|", parts.Select(p => p ?? ""));

    private static string? Code(JsonElement r, string property) => Path(r, property, "coding", 0, "code");

    private static string? Upper(string? s) => s?.ToUpperInvariant();

    private static string? Day(string? s) => s is { Length: > 10 } ? s[..10] : s;

    // The screens show minutes; both sides write UTC.
    private static string? Minute(string? s) => s is { Length: >= 16 } ? s[..16] : s;

    private static string? Number(JsonElement r, params object[] steps) =>
        Element(r, steps) is { ValueKind: JsonValueKind.Number } n ? n.GetDecimal().ToString("0.##", CultureInfo.InvariantCulture) : null;

    private static string? Path(JsonElement r, params object[] steps) => Element(r, steps) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.ToString(),
        null => null,
    };

    private static JsonElement? Element(JsonElement r, object[] steps)
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
        return current;
    }

    // Differences name a hash of the identity: the identity itself (MRN, codes, dates) is patient data.
    private static string Hash(string s) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..12];
}
