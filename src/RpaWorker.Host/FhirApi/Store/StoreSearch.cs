using System.Globalization;
using RpaWorker.Connectors;
using RpaWorker.Publishing;

namespace RpaWorker.Host.FhirApi;

/// <summary>The one patient a search names, when it names exactly one: by id, or by an identifier.</summary>
/// <param name="PatientId">The Patient id, when the search gives it.</param>
/// <param name="IdentifierSystem">The identifier's system; null when the search gave the value alone.</param>
/// <param name="IdentifierValue">The identifier's value, when the search is a Patient search by identifier.</param>
internal sealed record PatientScope(string? PatientId, string? IdentifierSystem = null, string? IdentifierValue = null);

/// <summary>A FHIR search translated for the store: the query, and the patient it is about when it is about one.</summary>
internal sealed record StoreSearchPlan(StoreQuery Query, PatientScope? Scope);

/// <summary>
/// Translates FHIR search parameters into a <see cref="StoreQuery"/>. Commas are alternatives, repeated parameters
/// must all hold; strings match the start of a name part, case-insensitively (<c>:exact</c> for the whole part);
/// tokens are <c>[system|]value</c>; references <c>[Patient/]id</c> or a URL; dates take eq, gt, ge, lt, le.
/// </summary>
internal static class StoreSearch
{
    public const string ProvenanceRevInclude = "Provenance:target";

    public static ConnectorResult<StoreSearchPlan> Plan(ResourceCapability capability, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var type = capability.ResourceType;
        var conditions = new List<StoreCondition>();
        IReadOnlyList<string>? ids = null;
        var updated = new TimeRange(null, null);
        var identifierConditions = new List<IReadOnlyList<string>>();
        var patientConditions = new List<IReadOnlyList<string>>();
        foreach (var (name, raw) in parameters)
        {
            var parts = name.Split(':', 2);
            var (parameter, modifier) = (parts[0], parts.Length > 1 ? parts[1] : null);
            if (parameter == "_revinclude")
            {
                if (modifier is null && raw == ProvenanceRevInclude && capability.RevIncludes.Contains(raw))
                {
                    continue;
                }

                return Unsupported($"_revinclude supports only {ProvenanceRevInclude}", "_revinclude");
            }

            if (!capability.Supports(parameter))
            {
                return Unsupported($"{type} cannot be searched by '{parameter}'", parameter);
            }

            var values = FhirSearchValues.Split(raw, ',');
            if (values.Any(v => v.Length == 0))
            {
                return Invalid($"'{parameter}' has an empty value", parameter);
            }

            var allowed = parameter is "name" or "family" or "given" ? modifier is null or "exact"
                : parameter is "patient" or "subject" ? modifier is null or "Patient"
                : modifier is null;
            if (!allowed)
            {
                return Unsupported($"the modifier ':{modifier}' is not supported on '{parameter}'", parameter);
            }

            switch (parameter)
            {
                case "_id":
                    var given = values.Select(FhirSearchValues.Unescape).ToList();
                    ids = ids is null ? given : [.. ids.Intersect(given, StringComparer.Ordinal)];
                    break;
                case "_lastUpdated":
                case "birthdate":
                    if (values.Count > 1)
                    {
                        return Unsupported($"'{parameter}' takes one value per parameter (repeat the parameter for a range)", parameter);
                    }

                    if (FhirSearchValues.DateRange(values[0], out var error) is not { } range)
                    {
                        return Invalid($"'{parameter}': {error}", parameter);
                    }

                    if (parameter == "_lastUpdated")
                    {
                        updated = updated.Intersect(range);
                    }
                    else
                    {
                        conditions.Add(new StoreCondition(StoreParameters.BirthDate, [StoreMatch.Between(Day(range.From), Day(range.Before, roundUp: true))]));
                    }

                    break;
                case "patient":
                case "subject":
                    var references = values.Select(v => FhirSearchValues.Reference(v, "Patient")).ToList();
                    if (references.Any(r => r is null))
                    {
                        return Invalid($"'{parameter}' must be a Patient id, Patient/id or a Patient URL", parameter);
                    }

                    patientConditions.Add(references!);
                    conditions.Add(new StoreCondition(StoreParameters.Patient, [.. references.Select(r => StoreMatch.Exact(r!))]));
                    break;
                case "identifier":
                    var tokens = values.Select(FhirSearchValues.Token).ToList();
                    if (tokens.Any(t => t.Code.Length == 0))
                    {
                        return Unsupported("'identifier' needs a value (system| alone is not supported)", parameter);
                    }

                    identifierConditions.Add([.. values]);
                    conditions.Add(new StoreCondition(StoreParameters.Identifier, [.. tokens.Select(t => StoreMatch.Exact(t.Code, t.System))]));
                    break;
                case "name":
                case "family":
                case "given":
                    conditions.Add(new StoreCondition(parameter, [.. values.Select(v => modifier == "exact"
                        ? StoreMatch.Exact(FhirSearchValues.Unescape(v))
                        : StoreMatch.Prefix(FhirSearchValues.Unescape(v)))]));
                    break;
                case "target":
                    var targets = values.Select(v => FhirSearchValues.Reference(v, "")).ToList();
                    if (targets.Any(t => t is null || t.StartsWith('/')))
                    {
                        return Invalid("'target' must be Type/id or a URL", parameter);
                    }

                    conditions.Add(new StoreCondition(StoreParameters.Target, [.. targets.Select(t => StoreMatch.Exact(t!))]));
                    break;
                default:
                    return Unsupported($"{type} cannot be searched by '{parameter}'", parameter);
            }
        }

        var query = new StoreQuery(type) { Conditions = conditions, Ids = ids, UpdatedFrom = updated.From, UpdatedBefore = updated.Before };
        return new StoreSearchPlan(query, ScopeOf(type, ids, identifierConditions, patientConditions));
    }

    private static PatientScope? ScopeOf(string type, IReadOnlyList<string>? ids, List<IReadOnlyList<string>> identifiers, List<IReadOnlyList<string>> patients)
    {
        if (type == "Patient")
        {
            if (ids is { Count: 1 })
            {
                return new PatientScope(ids[0]);
            }

            if (ids is null && identifiers.Count == 1 && identifiers[0].Count == 1)
            {
                var (system, value) = FhirSearchValues.Token(identifiers[0][0]);
                return new PatientScope(null, system, value);
            }

            return null;
        }

        return patients.Count == 1 && patients[0].Count == 1 && patients[0][0].StartsWith("Patient/", StringComparison.Ordinal)
            ? new PatientScope(patients[0][0]["Patient/".Length..])
            : null;
    }

    private static string? Day(DateTimeOffset? instant, bool roundUp = false)
    {
        if (instant is not { } at)
        {
            return null;
        }

        var date = at.UtcDateTime.Date;
        if (roundUp && at.UtcDateTime != date)
        {
            date = date.AddDays(1);
        }

        return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static ConnectorResult<StoreSearchPlan> Unsupported(string reason, string parameter) =>
        ConnectorResult<StoreSearchPlan>.Fail(ConnectorFailureKind.UnsupportedParameter, $"Unsupported search: {reason}.", parameter);

    private static ConnectorResult<StoreSearchPlan> Invalid(string reason, string parameter) =>
        ConnectorResult<StoreSearchPlan>.Fail(ConnectorFailureKind.InvalidParameter, $"Invalid search: {reason}.", parameter);
}
