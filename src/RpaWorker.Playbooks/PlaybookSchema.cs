using System.Text.Json;
using System.Text.Json.Nodes;
using RpaWorker.Playbooks.Loading;

namespace RpaWorker.Playbooks;

/// <summary>
/// The JSON Schema (draft 2020-12) of the playbook language, for editor completion through
/// <c># yaml-language-server: $schema=…</c>. Generated from the same keyword tables the loader reads,
/// so the two cannot drift; <c>docs/playbook.schema.json</c> is this output, checked by a test.
/// The schema describes shape only; the loader reports what it cannot (unknown sub-flows, cycles, guards).
/// </summary>
public static class PlaybookSchema
{
    /// <summary>The schema as indented JSON text with a trailing newline.</summary>
    public static string Generate()
    {
        var text = Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static JsonObject Build() => new()
    {
        ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
        ["$id"] = "https://rpaworker.dev/schemas/playbook.schema.json",
        ["title"] = "RpaWorker playbook",
        ["description"] = "One flow through a legacy EHR's screens, what to read from them, and how it maps to FHIR.",
        ["type"] = "object",
        // A file with a playbook's own keys is a playbook and needs all of them; one with none is a shared file that
        // playbooks import, and holds only what merges into them.
        ["if"] = new JsonObject { ["anyOf"] = new JsonArray([.. PlaybookNames.PlaybookOnlyKeys.Select(k => (JsonNode)new JsonObject { ["required"] = Arr(k) })]) },
        ["then"] = new JsonObject { ["required"] = Arr([.. PlaybookNames.PlaybookOnlyKeys]) },
        ["else"] = new JsonObject { ["propertyNames"] = Enum("A shared file holds only what playbooks import from it.", PlaybookNames.ImportableKeys) },
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["playbook"] = Str("The playbook's id, e.g. acme-medweb/patient-chart."),
            ["version"] = new JsonObject { ["type"] = "string", ["pattern"] = @"^\d+(\.\d+){1,3}(-[0-9A-Za-z.-]+)?$", ["description"] = "Semantic version, recorded in Provenance." },
            ["ehr"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject { ["vendor"] = Str(), ["product"] = Str(), ["versions"] = new JsonObject { ["type"] = "array", ["items"] = Str() } },
            },
            ["driver"] = Enum("The driver that runs the playbook.", PlaybookNames.Drivers.Keys),
            ["credentials"] = Str("Name of the credentials in the secret store; never a literal secret."),
            ["imports"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = Str(),
                ["description"] = "Shared files (paths relative to this file) whose flows, concept maps and emits merge into this one.",
            },
            ["inputs"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject
                {
                    ["type"] = Arr("object", "null"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["type"] = Enum(null, ["string", "integer", "date", "boolean"]),
                        ["pattern"] = Str("Regular expression the whole value must match."),
                        ["required"] = Bool(),
                        ["default"] = Str(),
                    },
                },
            },
            ["guards"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject
                {
                    ["read_only"] = Bool("Refuse to activate controls named like a protected word. Default true."),
                    ["protected_words"] = new JsonObject { ["type"] = "array", ["items"] = Str() },
                    ["allowed_phrases"] = new JsonObject { ["type"] = "array", ["items"] = Str(), ["description"] = "Phrases that hold a protected word but change nothing (\"Sign In\")." },
                    ["patient_banner"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = Arr("target", "must_contain"),
                        ["additionalProperties"] = false,
                        ["properties"] = new JsonObject { ["target"] = Ref("target"), ["must_contain"] = Str() },
                    },
                },
            },
            ["on"] = new JsonObject
            {
                ["description"] = "Handlers for screens that can appear at any time.",
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = Arr("when", "do"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["when"] = Ref("condition"),
                        ["do"] = Ref("steps"),
                        ["max"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                        ["retry_step"] = Bool(),
                    },
                },
            },
            ["flows"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject
                {
                    ["oneOf"] = new JsonArray
                    {
                        Ref("steps"),
                        new JsonObject
                        {
                            ["type"] = "object",
                            ["required"] = Arr("steps"),
                            ["additionalProperties"] = false,
                            ["properties"] = new JsonObject { ["params"] = new JsonObject { ["type"] = "array", ["items"] = Str() }, ["steps"] = Ref("steps") },
                        },
                    },
                },
            },
            ["concept_maps"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = Arr("system", "codes"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["system"] = Str(),
                        ["codes"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["additionalProperties"] = new JsonObject
                            {
                                ["oneOf"] = new JsonArray
                                {
                                    Str(),
                                    new JsonObject
                                    {
                                        ["type"] = "object",
                                        ["required"] = Arr("code"),
                                        ["additionalProperties"] = false,
                                        ["properties"] = new JsonObject { ["code"] = Str(), ["display"] = Str() },
                                    },
                                },
                            },
                        },
                    },
                },
            },
            ["steps"] = Ref("steps"),
            ["emit"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = Arr("resource", "key", "map"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["resource"] = Str("FHIR R4 resource type."),
                        ["for_each"] = Str("The list to iterate; omit for one resource."),
                        ["as"] = Str(),
                        ["when"] = Str("Emit only where this renders non-empty and not \"false\"."),
                        ["unless"] = Str("Do not emit where this renders non-empty and not \"false\"."),
                        ["key"] = Str("The EHR's own key for the record, for the deterministic id."),
                        ["map"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = Str(), ["description"] = "FHIR path: template value." },
                    },
                },
            },
        },
        ["$defs"] = Definitions(),
    };

    private static JsonObject Definitions()
    {
        var targetProperties = new JsonObject();
        foreach (var key in PlaybookNames.Targets.Keys)
        {
            targetProperties[key] = Str();
        }
        targetProperties["name"] = Str("Accessible name, with role.");
        targetProperties["exact"] = Bool();
        targetProperties["index"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 };
        targetProperties["frame"] = Str("CSS selector of the iframe the element is in.");

        var conditionProperties = new JsonObject
        {
            ["text"] = Str(), ["url"] = Str(), ["dialog"] = new JsonObject { ["type"] = Arr("string", "null") },
            ["visible"] = Ref("target"), ["hidden"] = Ref("target"), ["not"] = Ref("condition"),
            ["any"] = new JsonObject { ["type"] = "array", ["items"] = Ref("condition") },
            ["all"] = new JsonObject { ["type"] = "array", ["items"] = Ref("condition") },
        };
        foreach (var key in PlaybookNames.Targets.Keys.Where(k => !conditionProperties.ContainsKey(k)))
        {
            conditionProperties[key] = Str();
        }

        var parserKeys = PlaybookNames.Parsers.Keys.ToList();
        var shorthand = parserKeys.Concat(PlaybookNames.NameLayouts.Select(l => "name." + l));
        var parser = new JsonObject
        {
            ["oneOf"] = new JsonArray
            {
                Enum(null, shorthand),
                new JsonObject
                {
                    ["type"] = "object",
                    ["minProperties"] = 1,
                    ["maxProperties"] = 2,
                    ["properties"] = new JsonObject
                    {
                        ["date"] = StrOrList(), ["datetime"] = StrOrList(), ["name"] = Enum(null, PlaybookNames.NameLayouts),
                        ["regex"] = Str(), ["split"] = Str(), ["past"] = Bool("With date/datetime: two-digit years are past years."),
                        ["code"] = new JsonObject { ["type"] = "object", ["required"] = Arr("map"), ["properties"] = new JsonObject { ["map"] = Str() } },
                        ["text"] = new JsonObject { ["type"] = "null" }, ["number"] = new JsonObject { ["type"] = "null" }, ["quantity"] = new JsonObject { ["type"] = "null" },
                    },
                    ["additionalProperties"] = false,
                },
            },
        };

        var step = new JsonObject
        {
            ["oneOf"] = new JsonArray
            {
                new JsonObject { ["enum"] = Arr("accept_dialog", "reload") },
                new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["minProperties"] = 1,
                    ["properties"] = StepProperties(),
                },
            },
        };
        return new JsonObject
        {
            ["steps"] = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = Ref("step") },
            ["step"] = step,
            ["target"] = new JsonObject
            {
                ["oneOf"] = new JsonArray
                {
                    Str("Shorthand for { text: … }."),
                    Ref("targetAlternative"),
                    new JsonObject { ["type"] = "array", ["minItems"] = 1, ["items"] = Ref("targetAlternative"), ["description"] = "Fallbacks, tried in order." },
                },
            },
            ["targetAlternative"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = targetProperties,
                ["oneOf"] = new JsonArray(PlaybookNames.Targets.Keys.Select(k => (JsonNode)new JsonObject { ["required"] = Arr(k) }).ToArray()),
            },
            ["condition"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = conditionProperties },
            ["parse"] = new JsonObject { ["oneOf"] = new JsonArray { Ref("parser"), new JsonObject { ["type"] = "array", ["items"] = Ref("parser") } } },
            ["parser"] = parser,
            ["duration"] = new JsonObject { ["type"] = "string", ["pattern"] = @"^\d+(\.\d+)?\s*(ms|s|m|h)$" },
        };
    }

    private static JsonObject StepProperties()
    {
        var p = new JsonObject
        {
            ["id"] = Str("Step id, used in messages and traces."),
            ["timeout"] = Ref("duration"),
            ["retry"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject { ["attempts"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 }, ["backoff"] = Ref("duration") },
            },
            ["optional"] = Bool("Skip the step when its target is not found."),
        };
        foreach (var keyword in PlaybookReader.StepKeywords)
        {
            p[keyword] = keyword switch
            {
                "goto" => Str("Address to open."),
                "click" => Ref("target"),
                "fill" => Obj(["target", "value"], ("target", Ref("target")), ("value", Str()), ("secret", Bool())),
                "select" => Obj(["target", "option"], ("target", Ref("target")), ("option", Str())),
                "press" => new JsonObject { ["oneOf"] = new JsonArray { Str(), Obj(["key"], ("key", Str()), ("target", Ref("target"))) } },
                "wait" => Obj(["until"], ("until", Ref("condition"))),
                "accept_dialog" or "reload" => new JsonObject { ["type"] = Arr("object", "null") },
                "extract" => Obj(["into", "fields"], ("into", Str()), ("fields", new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = Obj(["target"], ("target", Ref("target")), ("parse", Ref("parse")), ("required", Bool())),
                })),
                "extract_table" => Obj(["into", "target", "columns"], ("into", Str()), ("target", Ref("target")),
                    ("columns", new JsonObject
                    {
                        ["type"] = "object",
                        ["additionalProperties"] = new JsonObject { ["oneOf"] = new JsonArray { Str("Field name."), Obj(["field"], ("field", Str()), ("parse", Ref("parse")), ("required", Bool()),
                            ("known_values", new JsonObject
                            {
                                ["description"] = "Values the column holds: a cell read with low confidence but agreed by independent readings is used when it is one of them.",
                                ["oneOf"] = new JsonArray { Enum("A built-in list.", [.. KnownValueLists.ByName.Keys]), new JsonObject { ["type"] = "array", ["items"] = Str(), ["minItems"] = 1 } },
                            })) } },
                    }),
                    ("paginate", Obj(["next"], ("next", Ref("target")), ("max_pages", new JsonObject { ["type"] = "integer", ["minimum"] = 1 }))),
                    ("keep_empty_rows", Bool()), ("transposed", Bool("Records are columns, fields are rows (a flowsheet).")))
                ,
                "llm_extract" => Obj(["target", "items"], ("target", Ref("target")),
                    ("read", Enum("text (default): the target's text; image: OCR of the target's picture.", ["text", "image"])),
                    ("publish_above", new JsonObject
                    {
                        ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1,
                        ["description"] = "Publish records whose confidence is above this; the rest (all, when unset) are held for review.",
                    }),
                    ("document", Str("A record to store the text read under (text, base64, read), for a DocumentReference.")),
                    ("items", new JsonObject
                    {
                        ["type"] = "object",
                        ["description"] = "List name: what to look for.",
                        ["additionalProperties"] = Obj(["kind", "fields"], ("kind", Str("condition, medication, allergy, or your own with a description.")),
                            ("description", Str()),
                            ("fields", new JsonObject
                            {
                                ["type"] = "object",
                                ["additionalProperties"] = new JsonObject
                                {
                                    ["oneOf"] = new JsonArray
                                    {
                                        Enum("The field's type.", PlaybookReader.LlmFieldTypes),
                                        Obj([], ("type", Enum(null, PlaybookReader.LlmFieldTypes)), ("description", Str()), ("required", Bool()),
                                            ("values", new JsonObject { ["type"] = "array", ["items"] = Str() })),
                                    },
                                },
                            })),
                    })),
                "for_each" => Obj(["in", "do"], ("in", Str()), ("as", Str()), ("do", Ref("steps")), ("work_item", Bool("Each item's outcome is recorded on its own."))),
                "call" => new JsonObject { ["oneOf"] = new JsonArray { Str("Sub-flow name."), Obj(["flow"], ("flow", Str()), ("with", new JsonObject { ["type"] = "object", ["additionalProperties"] = Str() })) } },
                "if" => Obj(["when", "then"], ("when", Ref("condition")), ("then", Ref("steps")), ("else", Ref("steps"))),
                "set" => new JsonObject { ["type"] = "object", ["additionalProperties"] = Str() },
                "checkpoint" => Str(),
                "fail" => Str("PHI-free message."),
                _ => new JsonObject(),
            };
        }
        return p;
    }

    private static JsonObject Obj(string[] required, params (string Name, JsonNode Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
        }
        return new JsonObject { ["type"] = "object", ["required"] = Arr(required), ["additionalProperties"] = false, ["properties"] = props };
    }

    private static JsonObject Str(string? description = null) =>
        description is null ? new JsonObject { ["type"] = "string" } : new JsonObject { ["type"] = "string", ["description"] = description };

    private static JsonObject Bool(string? description = null) =>
        description is null ? new JsonObject { ["type"] = "boolean" } : new JsonObject { ["type"] = "boolean", ["description"] = description };

    private static JsonObject StrOrList() => new() { ["oneOf"] = new JsonArray { Str(), new JsonObject { ["type"] = "array", ["items"] = Str() } } };

    private static JsonObject Ref(string name) => new() { ["$ref"] = "#/$defs/" + name };

    private static JsonObject Enum(string? description, IEnumerable<string> values)
    {
        var o = new JsonObject { ["enum"] = Arr([.. values]) };
        if (description is not null)
        {
            o["description"] = description;
        }
        return o;
    }

    private static JsonArray Arr(params string[] values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
