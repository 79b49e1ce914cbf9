using System.Text.Json.Nodes;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace RpaWorker.Fhir;

/// <summary>
/// Builds FHIR R4 resources from a playbook's declarative path assignments, e.g.
/// <c>code.coding[0].system = http://snomed.info/sct</c> or <c>component[1].valueQuantity.value = 80</c>.
/// </summary>
/// <remarks>
/// <para>Paths are dot-separated element names as FHIR JSON spells them. An <c>[index]</c> addresses one item of
/// a repeating element (a missing index means <c>[0]</c>); indices must be contiguous from 0. Choice elements are
/// written with their type, as in JSON: <c>valueQuantity</c>, <c>onsetDateTime</c>, <c>medicationCodeableConcept</c>.</para>
/// <para>Each value is checked against the FHIR primitive type of its element (taken from the Firely model) and
/// written as the JSON type FHIR wants: numbers for decimal/integer/positiveInt/unsignedInt, true/false for
/// boolean, strings otherwise. Impossible values (1990-02-30, 12,5) are errors, never guesses.</para>
/// <para>Values are trimmed; an empty or blank value skips the assignment, so the element stays absent.</para>
/// <para>The resource gets the matching US Core profile in <c>meta.profile</c> (see <see cref="UsCoreProfiles"/>).</para>
/// <para>Thread-safe: the builder keeps no state between calls.</para>
/// </remarks>
public static class FhirResourceBuilder
{
    private static readonly ModelInspector Inspector = ModelInfo.ModelInspector;
    private static readonly FhirJsonDeserializer Deserializer = new(new DeserializerSettings());

    /// <summary>Builds one resource of <paramref name="resourceType"/> from path/value assignments.</summary>
    /// <param name="resourceType">A FHIR R4 resource type name, e.g. Condition.</param>
    /// <param name="assignments">Paths relative to the resource and their rendered values, in any order.</param>
    /// <returns>The resource, or every error found (each naming the path, none repeating a value).</returns>
    public static BuildResult Build(string resourceType, IReadOnlyList<KeyValuePair<string, string>> assignments)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        ArgumentNullException.ThrowIfNull(assignments);

        var rootMapping = Inspector.FindClassMapping(resourceType);
        if (rootMapping is null || !rootMapping.IsResource || rootMapping.IsAbstract == true || rootMapping.Name != resourceType)
        {
            return BuildResult.Failed([$"unknown resource type '{resourceType}'"]);
        }

        var root = new JsonObject { ["resourceType"] = resourceType };
        var errors = new List<string>();
        foreach (var (path, value) in assignments)
        {
            var trimmed = value?.Trim();
            if (!string.IsNullOrEmpty(trimmed))
            {
                Assign(root, rootMapping, path, trimmed, errors);
            }
        }

        FindGaps(root, prefix: null, errors);
        if (errors.Count > 0)
        {
            return BuildResult.Failed(errors);
        }

        if (!Deserializer.TryDeserializeResource(root.ToJsonString(), out var resource, out var issues) || resource is null)
        {
            // The parser's own messages can quote the value, so only its location and code are passed on.
            return BuildResult.Failed(issues
                .Select(issue => $"{ParserPath(issue, resourceType)}: {ParserProblem(issue.ErrorCode, resourceType)}")
                .DefaultIfEmpty($"{resourceType}: rejected by the FHIR parser")
                .Distinct(StringComparer.Ordinal)
                .ToList());
        }

        UsCoreProfiles.Apply(resource);
        return new BuildResult(resource, []);
    }

    private static string ParserPath(Hl7.Fhir.Utility.CodedException issue, string resourceType)
    {
        var path = (issue as Hl7.Fhir.Utility.ExtendedCodedException)?.InstancePath;
        if (string.IsNullOrEmpty(path) || path == "$this" || path == resourceType)
        {
            return resourceType;
        }

        foreach (var prefix in new[] { "$this.", resourceType + "." })
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return path[prefix.Length..];
            }
        }

        return path;
    }

    // Firely's error codes (Hl7.Fhir.Serialization.FhirJsonException / CodedValidationException).
    private static string ParserProblem(string errorCode, string resourceType) => errorCode switch
    {
        "PVAL102" or "PVAL105" => $"required by FHIR R4 {resourceType} but not assigned",
        "PVAL103" => "assigned more items than FHIR R4 allows",
        "PVAL106" or "PVAL116" => "not a valid code for this element",
        "PVAL107" => "not a valid date",
        "PVAL108" => "not a valid dateTime",
        "PVAL109" => "not a valid id",
        _ => $"rejected by the FHIR parser ({errorCode})",
    };

    private static void Assign(JsonObject root, ClassMapping rootMapping, string path, string value, List<string> errors)
    {
        if (!ElementPath.TryParse(path, out var segments, out var pathError))
        {
            errors.Add($"{path}: {pathError}");
            return;
        }

        JsonObject node = root;
        var mapping = rootMapping;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (!TryResolve(mapping, segment.Name, out var property, out var type, out var resolveError))
            {
                errors.Add(segments.Count > 1 ? $"{path}: {resolveError}" : resolveError);
                return;
            }

            if (segment.Index is not null && !property.IsCollection)
            {
                errors.Add($"{path}: '{segment.Name}' on {mapping.Name} does not repeat; remove the [index]");
                return;
            }

            if (type.IsResource || (type.IsAbstract == true && !IsPrimitive(type)))
            {
                errors.Add($"{path}: '{segment.Name}' holds a resource, which cannot be assigned by path");
                return;
            }

            var last = i == segments.Count - 1;
            var index = property.IsCollection ? segment.Index ?? 0 : (int?)null;
            if (last)
            {
                if (!IsPrimitive(type))
                {
                    errors.Add($"{path}: '{segment.Name}' is a {type.Name}; assign one of its elements instead");
                    return;
                }

                if (!TryConvertLeaf(property, type, value, out var leaf, out var expected))
                {
                    errors.Add($"{path}: {expected}");
                    return;
                }

                if (!TrySet(node, segment.Name, index, leaf))
                {
                    errors.Add($"{path}: assigned more than once");
                }

                return;
            }

            if (IsPrimitive(type))
            {
                errors.Add($"{path}: '{segment.Name}' is a {type.Name} value and has no child elements");
                return;
            }

            var child = GetOrAddObject(node, segment.Name, index);
            if (child is null)
            {
                errors.Add($"{path}: '{segment.Name}' is assigned both a value and child elements");
                return;
            }

            node = child;
            mapping = type;
        }
    }

    private static bool TryResolve(
        ClassMapping mapping,
        string name,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PropertyMapping? property,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClassMapping? type,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        type = null;
        error = null;
        property = mapping.FindMappedElementByName(name);
        if (property is not null && property.Name == name)
        {
            if (property.Choice == ChoiceType.ResourceChoice)
            {
                error = $"'{name}' on {mapping.Name} holds a resource, which cannot be assigned by path";
                return false;
            }

            if (property.Choice == ChoiceType.DatatypeChoice)
            {
                error = $"'{name}' on {mapping.Name} is a choice element: write the type into the name, e.g. {name}Quantity or {name}String";
                return false;
            }

            type = property.PropertyTypeMapping;
            if (type is null)
            {
                error = $"unsupported element '{name}' on {mapping.Name}";
                return false;
            }

            return true;
        }

        property = mapping.FindMappedElementByChoiceName(name);
        if (property is not null && property.Choice == ChoiceType.DatatypeChoice && name.Length > property.Name.Length
            && name.StartsWith(property.Name, StringComparison.Ordinal))
        {
            var suffix = name[property.Name.Length..];
            var candidate = Inspector.FindClassMapping(suffix) ?? Inspector.FindClassMapping(char.ToLowerInvariant(suffix[0]) + suffix[1..]);
            if (candidate is not null && string.Equals(candidate.Name, suffix, StringComparison.OrdinalIgnoreCase)
                && property.FhirType.Any(allowed => allowed.IsAssignableFrom(candidate.NativeType)))
            {
                type = candidate;
                return true;
            }

            error = $"'{name}' on {mapping.Name}: {suffix} is not an allowed type for {property.Name}[x]";
            property = null;
            return false;
        }

        property = null;
        error = $"unknown element '{name}' on {mapping.Name}";
        return false;
    }

    private static bool IsPrimitive(ClassMapping type) => type.IsFhirPrimitive || type.IsPrimitive;

    private static bool TryConvertLeaf(PropertyMapping property, ClassMapping type, string value, out JsonNode? json, out string? expected)
    {
        // System.String (Element.id, Extension.url) has no FHIR primitive name: it is written as a string.
        var fhirType = type.IsFhirPrimitive ? type.Name : "string";
        if (!PrimitiveValues.TryConvert(fhirType, value, out json, out expected))
        {
            return false;
        }

        // Code<T> elements (status, gender, intent...) are checked here rather than by the parser, so their errors
        // list the allowed codes and are reported together with every other error.
        var implementing = property.ImplementingType;
        if (implementing.IsGenericType && implementing.GetGenericTypeDefinition() == typeof(Code<>)
            && Inspector.FindEnumMapping(implementing.GetGenericArguments()[0]) is { } enumMapping
            && !enumMapping.Members.ContainsKey(value))
        {
            expected = $"not a valid code (expected one of {string.Join(", ", enumMapping.Members.Keys)})";
            json = null;
            return false;
        }

        return true;
    }

    private static bool TrySet(JsonObject node, string name, int? index, JsonNode? leaf)
    {
        if (index is null)
        {
            return node.TryAdd(name, leaf);
        }

        var array = GetOrAddArray(node, name, index.Value);
        if (array is null || array[index.Value] is not null)
        {
            return false;
        }

        array[index.Value] = leaf;
        return true;
    }

    private static JsonObject? GetOrAddObject(JsonObject node, string name, int? index)
    {
        var existing = index is null ? node[name] : GetOrAddArray(node, name, index.Value)?[index.Value];
        if (existing is not null || (index is null ? node.ContainsKey(name) : node[name] is not JsonArray))
        {
            return existing as JsonObject;
        }

        var created = new JsonObject();
        if (index is null)
        {
            node[name] = created;
        }
        else
        {
            node[name]!.AsArray()[index.Value] = created;
        }

        return created;
    }

    /// <summary>The array under <paramref name="name"/>, long enough for <paramref name="index"/>; null when the name holds a non-array.</summary>
    private static JsonArray? GetOrAddArray(JsonObject node, string name, int index)
    {
        if (node[name] is not JsonArray array)
        {
            if (node.ContainsKey(name))
            {
                return null;
            }

            array = [];
            node[name] = array;
        }

        while (array.Count <= index)
        {
            array.Add(null);
        }

        return array;
    }

    private static void FindGaps(JsonNode? node, string? prefix, List<string> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    FindGaps(child, prefix is null ? name : $"{prefix}.{name}", errors);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null)
                    {
                        errors.Add($"{prefix}[{i}]: not assigned, but a later index is; indices must start at 0 without gaps");
                    }
                    else
                    {
                        FindGaps(array[i], $"{prefix}[{i}]", errors);
                    }
                }

                break;
        }
    }
}
