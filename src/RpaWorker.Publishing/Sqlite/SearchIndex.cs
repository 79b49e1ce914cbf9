using System.Text.Json;

namespace RpaWorker.Publishing;

/// <summary>One row of the search index: a parameter's value (and system, for identifiers) of one resource.</summary>
internal readonly record struct IndexEntry(string Parameter, string System, string Value);

/// <summary>Reads the values of <see cref="StoreParameters"/> out of a resource's JSON, at publish time.</summary>
internal static class SearchIndex
{
    private static readonly string[] PatientProperties = ["patient", "subject", "beneficiary"];
    private static readonly string[] NameParts = ["prefix", "suffix"];

    /// <summary>The index rows of <paramref name="resource"/>, without duplicates.</summary>
    /// <exception cref="RpaWorkerException">The JSON is not a JSON object; the message names the resource type and id only.</exception>
    public static IReadOnlyList<IndexEntry> Extract(PublishedResource resource)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(resource.Json);
        }
        catch (JsonException ex)
        {
            throw new RpaWorkerException($"Resource {resource.ResourceType}/{resource.Id} is not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RpaWorkerException($"Resource {resource.ResourceType}/{resource.Id} is not a JSON object.");
            }

            var entries = new HashSet<IndexEntry>();
            AddPatient(entries, resource, root);
            AddIdentifiers(entries, root);
            AddNames(entries, root);
            if (Text(root, "birthDate") is { } birthDate)
            {
                entries.Add(new IndexEntry(StoreParameters.BirthDate, "", birthDate));
            }

            foreach (var target in Items(root, "target"))
            {
                if (StoreParameters.RelativeReference(Text(target, "reference")) is { } reference)
                {
                    entries.Add(new IndexEntry(StoreParameters.Target, "", reference));
                }
            }

            return [.. entries];
        }
    }

    private static void AddPatient(HashSet<IndexEntry> entries, PublishedResource resource, JsonElement root)
    {
        if (resource.ResourceType == "Patient")
        {
            entries.Add(new IndexEntry(StoreParameters.Patient, "", "Patient/" + resource.Id));
            return;
        }

        foreach (var property in PatientProperties)
        {
            if (root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                if (StoreParameters.RelativeReference(Text(value, "reference")) is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal))
                {
                    entries.Add(new IndexEntry(StoreParameters.Patient, "", reference));
                }

                return;
            }
        }
    }

    private static void AddIdentifiers(HashSet<IndexEntry> entries, JsonElement root)
    {
        foreach (var identifier in Items(root, "identifier"))
        {
            if (Text(identifier, "value") is { } value)
            {
                entries.Add(new IndexEntry(StoreParameters.Identifier, Text(identifier, "system") ?? "", value));
            }
        }
    }

    private static void AddNames(HashSet<IndexEntry> entries, JsonElement root)
    {
        if (!root.TryGetProperty("name", out var names))
        {
            return;
        }

        if (names.ValueKind == JsonValueKind.String)
        {
            AddName(entries, StoreParameters.Name, names.GetString());
            return;
        }

        foreach (var name in Items(root, "name"))
        {
            if (Text(name, "family") is { } family)
            {
                AddName(entries, StoreParameters.Family, family);
                AddName(entries, StoreParameters.Name, family);
            }

            foreach (var given in Items(name, "given"))
            {
                var text = given.ValueKind == JsonValueKind.String ? given.GetString() : null;
                AddName(entries, StoreParameters.Given, text);
                AddName(entries, StoreParameters.Name, text);
            }

            foreach (var part in NameParts.SelectMany(p => Items(name, p)))
            {
                AddName(entries, StoreParameters.Name, part.ValueKind == JsonValueKind.String ? part.GetString() : null);
            }

            AddName(entries, StoreParameters.Name, Text(name, "text"));
        }
    }

    private static void AddName(HashSet<IndexEntry> entries, string parameter, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            entries.Add(new IndexEntry(parameter, "", value.Trim().ToLowerInvariant()));
        }
    }

    /// <summary>The items of an array property, or the property itself when it is a single object.</summary>
    private static IEnumerable<JsonElement> Items(JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray(),
            JsonValueKind.Object => [value],
            _ => [],
        };
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) &&
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
