using System.Globalization;
using System.Text.RegularExpressions;
using RpaWorker.Playbooks.Model;
using RpaWorker.Playbooks.Yaml;

namespace RpaWorker.Playbooks.Loading;

internal sealed partial class PlaybookReader
{
    /// <summary>The field types of <c>llm_extract</c>, as the LLM tier checks them.</summary>
    public static readonly IReadOnlyList<string> LlmFieldTypes = ["string", "date", "number", "boolean"];

    private static readonly IReadOnlyDictionary<string, LlmExtractSource> LlmSources = new Dictionary<string, LlmExtractSource>(StringComparer.Ordinal)
    {
        ["text"] = LlmExtractSource.Text,
        ["image"] = LlmExtractSource.Image,
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LlmName();

    private LlmExtractStep? LlmExtract(YNode v, SourceLocation at)
    {
        if (r.Map(v, "llm_extract") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "llm_extract", "target", "read", "publish_above", "document", "items");
        var target = RequiredTarget(map, "llm_extract");
        var read = map.Has("read") ? r.Enum(map["read"], "read of llm_extract", LlmSources) : LlmExtractSource.Text;
        double? publishAbove = null;
        if (map.Has("publish_above") && r.String(map["publish_above"], "publish_above") is { } threshold)
        {
            if (double.TryParse(threshold, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 1)
            {
                publishAbove = t;
            }
            else
            {
                r.Error(map["publish_above"]!.Location, $"publish_above must be a confidence from 0 to 1 (e.g. 0.9), not '{threshold}'");
            }
        }
        var items = new List<LlmExtractItems>();
        if (r.Map(map["items"], "items of llm_extract") is { } itemMap)
        {
            foreach (var (key, value) in itemMap.Entries)
            {
                if (LlmItems(key, value) is { } item)
                {
                    items.Add(item);
                }
            }
            if (itemMap.Entries.Count == 0)
            {
                r.Error(itemMap.Location, "items of llm_extract is empty: name at least one list, e.g. conditions: { kind: condition, fields: { name: { required: true } } }");
            }
        }
        else if (!map.Has("items"))
        {
            r.Error(map.Location, "llm_extract needs 'items' (list name: { kind, fields })");
        }
        return target is null || read is null ? null : new LlmExtractStep(target, items)
        {
            Location = at,
            Read = read.Value,
            PublishAbove = publishAbove,
            Document = map.Has("document") ? r.String(map["document"], "document of llm_extract") : null,
        };
    }

    private LlmExtractItems? LlmItems(YScalar key, YNode value)
    {
        var what = $"item list '{key.Value}'";
        if (r.Map(value, what) is not { } spec)
        {
            return null;
        }
        r.OnlyKeys(spec, what, "kind", "description", "fields");
        var kind = r.RequiredString(spec, "kind", what);
        var description = spec.Has("description") ? r.String(spec["description"], $"description of {what}") : null;
        if (kind is not null && !LlmName().IsMatch(kind))
        {
            r.Error(spec["kind"]!.Location, $"kind of {what} must be a name of letters, digits and '_', not '{kind}'");
        }
        else if (kind is not null && description is null && !LlmExtractItems.KnownKinds.ContainsKey(kind))
        {
            r.Error(spec["kind"]!.Location, $"kind '{kind}' of {what} needs a 'description' (only {string.Join(", ", LlmExtractItems.KnownKinds.Keys)} have one built in)");
        }
        var fields = new List<LlmExtractField>();
        if (r.Map(spec["fields"], $"fields of {what}") is { } fieldMap)
        {
            foreach (var (name, fieldNode) in fieldMap.Entries)
            {
                if (LlmField(name, fieldNode, what) is { } field)
                {
                    fields.Add(field);
                }
            }
            if (fieldMap.Entries.Count == 0)
            {
                r.Error(fieldMap.Location, $"fields of {what} is empty: name at least one field");
            }
        }
        else if (!spec.Has("fields"))
        {
            r.Error(spec.Location, $"{what} needs 'fields' (field name: {{ type, required, description, values }})");
        }
        return kind is null ? null : new LlmExtractItems { Into = key.Value, Kind = kind, Description = description, Fields = fields, Location = key.Location };
    }

    private LlmExtractField? LlmField(YScalar name, YNode node, string owner)
    {
        var what = $"field '{name.Value}' of {owner}";
        if (!LlmName().IsMatch(name.Value))
        {
            r.Error(name.Location, $"{what}: a field name is letters, digits and '_'");
        }
        else if (LlmExtractStep.ReservedFields.Contains(name.Value))
        {
            r.Error(name.Location, $"{what}: '{name.Value}' is a field every extracted record has ({string.Join(", ", LlmExtractStep.ReservedFields)}); choose another name");
        }
        // "onset: date" is short for "onset: { type: date }".
        if (node is YScalar { IsNull: false } shorthand)
        {
            return LlmFieldType(shorthand.Value, shorthand.Location, what) is { } t
                ? new LlmExtractField { Name = name.Value, Type = t, Location = name.Location }
                : null;
        }
        if (r.Map(node, what) is not { } spec)
        {
            return null;
        }
        r.OnlyKeys(spec, what, "type", "description", "required", "values");
        var type = spec.Has("type") && r.String(spec["type"], $"type of {what}") is { } typed ? LlmFieldType(typed, spec["type"]!.Location, what) : "string";
        var values = r.List(spec["values"]).Select(n => r.String(n, $"a value of {what}")).OfType<string>().ToList();
        return type is null ? null : new LlmExtractField
        {
            Name = name.Value,
            Type = type,
            Description = spec.Has("description") ? r.String(spec["description"], $"description of {what}") : null,
            Required = spec.Has("required") && (r.Bool(spec["required"], $"required of {what}") ?? false),
            Values = values,
            Location = name.Location,
        };
    }

    private string? LlmFieldType(string type, SourceLocation at, string what)
    {
        if (LlmFieldTypes.Contains(type))
        {
            return type;
        }
        r.Error(at, $"type of {what} '{type}' is not one of: {string.Join(", ", LlmFieldTypes)}{NodeReader.Suggest(type, LlmFieldTypes)}");
        return null;
    }
}
