using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RpaWorker.Ai.Masking;

namespace RpaWorker.Ai.Assistant;

/// <summary>Builds the three questions. Everything screen-derived passes through <see cref="Outgoing"/> first.</summary>
internal static partial class Questions
{
    public const string Choose = "choose";
    public const string Classify = "classify";
    public const string Extract = "extract";
    public const string NoHandler = "none";

    private const string Preamble =
        "You help a robot that reads the screens of an old electronic health record system. ";
    private const string Masking =
        "Values in angle brackets such as <date>, <name>, <text>, <email> or <number 7 digits> stand for screen values hidden from you; judge by roles, labels, names and positions. ";

    /// <summary>The JSON names of the screen kinds, in the order of <see cref="ScreenKind"/>.</summary>
    public static readonly IReadOnlyList<string> KindNames = ["unknown", "popup", "error", "session_expired", "wrong_patient"];

    public static Question ChooseElement(string description, IReadOnlyList<CandidateElement> candidates, ScreenContext screen, bool allowPhi)
    {
        var outgoing = new Outgoing(allowPhi, screen.KnownPhi);
        var payload = new JsonObject
        {
            ["screen_title"] = outgoing.Text(screen.Title),
            ["looking_for"] = outgoing.Text(description),
            ["candidates"] = outgoing.Elements(candidates),
        };
        var schema = Schemas.Object(
            ("index", new JsonObject { ["type"] = "integer", ["minimum"] = -1, ["maximum"] = candidates.Count - 1 }),
            ("role", Schemas.Type("string")),
            ("confidence", Schemas.Confidence()));
        var instructions = Preamble +
            "It looks for one element, described in words, among candidate elements listed as JSON with their index. " +
            "Answer with the index of the candidate that is the described element, or -1 when none is; the role of that candidate exactly as listed " +
            "(empty when -1); and your confidence from 0 to 1. " + (allowPhi ? "" : Masking);
        return new Question(Choose, screen.Origin, screen.Fingerprint, instructions, payload, "element_choice", schema, Cacheable: true);
    }

    public static Question ClassifyScreen(ScreenOutline outline, IReadOnlyList<string> handlerNames, bool allowPhi)
    {
        var outgoing = new Outgoing(allowPhi, outline.KnownPhi);
        var payload = new JsonObject
        {
            ["screen_title"] = outgoing.Text(outline.Title),
            ["handlers"] = new JsonArray(handlerNames.Select(h => (JsonNode)h).ToArray()),
            ["elements"] = outgoing.Elements(outline.Elements),
        };
        if (allowPhi && outline.KnownPhi.Count > 0)
        {
            // Only a provider allowed PHI can tell a wrong patient: it needs to know whom the robot expects.
            payload["expected_patient"] = new JsonArray(outline.KnownPhi.Select(k => (JsonNode)k).ToArray());
        }
        var schema = Schemas.Object(
            ("kind", Schemas.Enum(KindNames)),
            ("handler", Schemas.Enum(handlerNames.Append(NoHandler).Distinct(StringComparer.Ordinal))),
            ("confidence", Schemas.Confidence()));
        var instructions = Preamble +
            "It is on a screen it does not recognise, outlined as JSON. Say what kind of screen it is: popup (a popup, notice or modal over the expected screen), " +
            "error (an error page or message), session_expired (a login form or a notice that the session ended), wrong_patient (the screen shows another " +
            "patient than the one expected), or unknown. Then pick the handler from the list that deals with it, or \"none\" when none fits; " +
            "and give your confidence from 0 to 1. " + (allowPhi ? "" : Masking);
        return new Question(Classify, outline.Origin, outline.Fingerprint, instructions, payload, "screen_classification", schema, Cacheable: true);
    }

    /// <summary>Only for a provider allowed PHI: the text goes as it is.</summary>
    public static Question ExtractFromText(string text, ExtractionSpec spec, ScreenContext screen, bool cacheable)
    {
        CheckSpec(spec);
        var fields = new JsonArray();
        var itemProperties = new List<(string, JsonNode)>();
        foreach (var field in spec.Fields)
        {
            var described = new JsonObject
            {
                ["name"] = field.Name,
                ["type"] = field.Type.ToString().ToLowerInvariant(),
                ["description"] = field.Description,
                ["required"] = field.Required,
            };
            if (field.AllowedValues is { Count: > 0 } allowed)
            {
                described["allowed_values"] = new JsonArray(allowed.Select(a => (JsonNode)a).ToArray());
            }
            fields.Add(described);
            itemProperties.Add((field.Name, Schemas.Object(("value", Schemas.Nullable("string")), ("quote", Schemas.Nullable("string")), ("confidence", Schemas.Confidence()))));
        }
        var payload = new JsonObject { ["item_kind"] = spec.Name, ["item_description"] = spec.Description, ["fields"] = fields, ["text"] = text };
        var schema = Schemas.Object(("items", new JsonObject { ["type"] = "array", ["items"] = Schemas.Object([.. itemProperties]) }));
        var instructions = Preamble +
            "Extract every item described below from the text. For each field give the value in canonical form (dates yyyy-MM-dd, numbers with '.' " +
            "as decimal separator, booleans true or false, one of allowed_values when given), the exact words of the text it comes from as quote, " +
            "and your confidence from 0 to 1. Use null for value and quote when the text does not say. Never invent anything that is not in the text.";
        return new Question(Extract, screen.Origin, screen.Fingerprint, instructions, payload, spec.Name, schema, cacheable);
    }

    /// <summary>A spec the schema can be built from; a bad one is a playbook bug, reported with what is wrong.</summary>
    private static void CheckSpec(ExtractionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        if (!Identifier().IsMatch(spec.Name ?? ""))
        {
            problems.Add($"the item name '{spec.Name}' is not letters, digits and '_'");
        }
        if (spec.Fields is not { Count: > 0 })
        {
            problems.Add("it has no fields");
        }
        foreach (var field in spec.Fields ?? [])
        {
            if (!Identifier().IsMatch(field.Name ?? ""))
            {
                problems.Add($"the field name '{field.Name}' is not letters, digits and '_'");
            }
        }
        foreach (var duplicate in (spec.Fields ?? []).GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"the field '{duplicate.Key}' appears {duplicate.Count()} times");
        }
        if (problems.Count > 0)
        {
            throw new ArgumentException($"extraction spec '{spec.Name}': {string.Join("; ", problems)}", nameof(spec));
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex Identifier();

    /// <summary>Screen texts on their way out: as they are for a provider allowed PHI, masked for any other.</summary>
    private readonly struct Outgoing(bool allowPhi, IReadOnlyList<string> knownPhi)
    {
        public string? Text(string? text) => allowPhi || text is null ? text : PhiMasker.Scrub(text, knownPhi);

        private string? Value(string? value) => allowPhi ? value : value is null ? null : PhiMasker.Shape(value);

        public JsonArray Elements(IReadOnlyList<CandidateElement> elements)
        {
            var array = new JsonArray();
            for (var i = 0; i < elements.Count; i++)
            {
                var element = elements[i];
                var item = new JsonObject { ["index"] = i, ["role"] = Text(element.Role) };
                Add(item, "name", Text(element.Name));
                Add(item, "label", Text(element.Label));
                Add(item, "nearby_text", Text(element.NearbyText));
                if (element.Attributes.Count > 0)
                {
                    var attributes = new JsonObject();
                    foreach (var (key, value) in element.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                    {
                        attributes[Text(key)!] = Text(value);
                    }
                    item["attributes"] = attributes;
                }
                Add(item, "value", Value(element.Value));
                array.Add(item);
            }
            return array;
        }

        private static void Add(JsonObject item, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                item[name] = value;
            }
        }
    }
}
