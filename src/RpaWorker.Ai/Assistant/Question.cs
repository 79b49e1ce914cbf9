using System.Text.Json.Nodes;

namespace RpaWorker.Ai.Assistant;

/// <summary>
/// One question as it goes to the provider: the instructions, the payload (already masked when it must be) and the
/// JSON schema the answer must match.
/// </summary>
/// <param name="Operation">choose, classify or extract: for metrics, logs and the cache key.</param>
/// <param name="Origin">The playbook step and field that asked, for logs and reasons.</param>
/// <param name="Fingerprint">The screen's structural fingerprint.</param>
/// <param name="Instructions">The system message.</param>
/// <param name="Payload">The user message.</param>
/// <param name="SchemaName">The schema's name as the provider sees it.</param>
/// <param name="Schema">The JSON schema of the answer; the same schema validates it.</param>
/// <param name="Cacheable">Whether the answer may be stored (false when it would hold PHI and that is not allowed).</param>
internal sealed record Question(string Operation, string Origin, string Fingerprint, string Instructions, JsonObject Payload, string SchemaName, JsonObject Schema, bool Cacheable);

/// <summary>What the assistant makes of a well-formed answer: a value to use, or why it is not used.</summary>
internal readonly record struct Verdict<T>(T? Value, string? Decline)
{
    public static Verdict<T> Use(T value) => new(value, null);

    public static Verdict<T> Reject(string reason) => new(default, reason);
}

/// <summary>Small builders for the strict JSON schemas the questions use (every property required, nothing else allowed).</summary>
internal static class Schemas
{
    public static JsonObject Object(params (string Name, JsonNode Schema)[] properties)
    {
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, schema) in properties)
        {
            props[name] = schema;
            required.Add(name);
        }
        return new JsonObject { ["type"] = "object", ["properties"] = props, ["required"] = required, ["additionalProperties"] = false };
    }

    public static JsonObject Confidence() => new() { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 };

    public static JsonObject Enum(IEnumerable<string> values) => new() { ["type"] = "string", ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };

    public static JsonObject Type(string type) => new() { ["type"] = type };

    public static JsonObject Nullable(string type) => new() { ["type"] = new JsonArray(type, "null") };
}
