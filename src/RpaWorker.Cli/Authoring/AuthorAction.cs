using System.Text.Json;
using System.Text.Json.Nodes;

namespace RpaWorker.Cli.Authoring;

/// <summary>A column of a table read, and the field it goes into.</summary>
internal sealed record ColumnMapping(string Header, string Field);

/// <summary>
/// What the model asks the loop to do next. <see cref="Target"/> is an element id from the observed screen (or the
/// element's own wording); <see cref="Value"/> is what to type, as a reference (<c>${secrets.username}</c>,
/// <c>${inputs.mrn}</c>) resolved locally, so credentials and search terms never reach the model.
/// </summary>
internal sealed record AuthorAction(string Kind, string Target, string Value, string Into, string Field, IReadOnlyList<ColumnMapping> Columns, string Resource, string Reason)
{
    public const string Fill = "fill";
    public const string Click = "click";
    public const string SelectTab = "select_tab";
    public const string ReadTable = "read_table";
    public const string ReadField = "read_field";
    public const string Done = "done";
    public const string GiveUp = "give_up";

    public static readonly IReadOnlyList<string> Kinds = [Fill, Click, SelectTab, ReadTable, ReadField, Done, GiveUp];

    /// <summary>FHIR resources a table can be mapped to, with the fields each mapping knows ("none": only read it).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Resources = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["none"] = [],
        ["AllergyIntolerance"] = ["code", "system", "display", "category", "reaction", "criticality", "status", "recorded"],
    };

    /// <summary>Identifies the action for loop detection (the reason does not count).</summary>
    public string Key => $"{Kind}|{Target}|{Value}|{Into}|{Field}|{string.Join(",", Columns.Select(c => c.Header + "=" + c.Field))}";

    /// <summary>A short description for the console and the history sent back to the model: no screen values.</summary>
    public string Describe() => Kind switch
    {
        Fill => $"fill {Target} with {(Value.StartsWith("${", StringComparison.Ordinal) ? Value : "a typed value")}",
        ReadTable => $"read_table {Target} into {Into} ({Columns.Count} column(s), {Resource})",
        ReadField => $"read_field {Target} into {Into}.{Field}",
        Done or GiveUp => Kind,
        _ => $"{Kind} {Target}",
    };

    public static AuthorAction Parse(JsonElement answer)
    {
        var columns = answer.GetProperty("columns").EnumerateArray()
            .Select(c => new ColumnMapping(c.GetProperty("header").GetString() ?? "", c.GetProperty("field").GetString() ?? ""))
            .ToList();
        return new AuthorAction(
            answer.GetProperty("action").GetString() ?? "",
            answer.GetProperty("target").GetString() ?? "",
            answer.GetProperty("value").GetString() ?? "",
            answer.GetProperty("into").GetString() ?? "",
            answer.GetProperty("field").GetString() ?? "",
            columns,
            answer.GetProperty("resource").GetString() ?? "none",
            answer.GetProperty("reason").GetString() ?? "");
    }

    /// <summary>The strict JSON schema of an answer: every property required, none other allowed.</summary>
    public static JsonObject Schema()
    {
        static JsonObject Str() => new() { ["type"] = "string" };
        static JsonObject Enum(IEnumerable<string> values) => new() { ["type"] = "string", ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };
        static JsonObject Obj(params (string Name, JsonNode Schema)[] properties) => new()
        {
            ["type"] = "object",
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Schema))),
            ["required"] = new JsonArray(properties.Select(p => (JsonNode)p.Name).ToArray()),
            ["additionalProperties"] = false,
        };
        return Obj(
            ("action", Enum(Kinds)),
            ("target", Str()),
            ("value", Str()),
            ("into", Str()),
            ("field", Str()),
            ("columns", new JsonObject { ["type"] = "array", ["items"] = Obj(("header", Str()), ("field", Str())) }),
            ("resource", Enum(Resources.Keys)),
            ("reason", Str()));
    }

    public const string Instructions =
        "You explore the screens of an old electronic health record system (EHR) to reach and read what the goal asks for, " +
        "so that a robot can later repeat your steps without you. Each turn you get the goal, the current screen (elements with ids: " +
        "c = control to click, f = input field, v = labelled value, t = table with its columns and row count), what you did so far with the " +
        "result of each step, and a notice when your last proposal was refused. Answer with exactly one action:\n" +
        "- fill: target = a field id; value = a reference, never a literal credential: ${secrets.username}, ${secrets.password}, or ${inputs.NAME} for an input listed under inputs.\n" +
        "- click: target = a control id (a link, a button; OK on a popup box).\n" +
        "- select_tab: target = the control id of a tab or section link.\n" +
        "- read_field: target = a value id; into = a record name (e.g. patient); field = a field name (e.g. mrn).\n" +
        "- read_table: target = a table id; into = a list name (e.g. allergies); columns = each header you want, with the field it goes into; " +
        "resource = the FHIR resource the rows are, when the goal asks for one and it is offered, else none.\n" +
        "- done: the goal's data has been read. give_up: it cannot be reached (say why in reason).\n" +
        "Fields per resource: AllergyIntolerance: code, system (the code system's name), display (the substance), category, reaction, criticality, status, recorded (the date). " +
        "When a resource is read, also read the patient's MRN (read_field into patient, field mrn) first, so records can be keyed to the patient. " +
        "The robot is read-only: never choose a control that saves, signs, deletes, submits, orders or sends anything; such a choice is refused. " +
        "Repeating an action on an unchanged screen is a loop and ends the exploration. " +
        "Values in angle brackets such as <name>, <date>, <text> or <number 7 digits> stand for screen values hidden from you; a control shown as <name> is a link named after a patient. " +
        "Keep reason short.";
}
