using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace RpaWorker.Cli.Tests.Authoring;

/// <summary>
/// A scripted chat client that plays a model: each answer is decided from the screen in the request (its elements,
/// headings and the history), never from a fixed list, so a loop that did not observe would not get anywhere. It keeps
/// every request it got, to check what was sent.
/// </summary>
internal sealed class ScreenReadingModel(Func<ScreenReadingModel.Turn, JsonObject> policy) : IChatClient
{
    /// <summary>One request as the model sees it: the payload, with helpers to find elements on the screen.</summary>
    internal sealed class Turn(JsonObject payload, int number)
    {
        public int Number { get; } = number;

        public JsonObject Payload { get; } = payload;

        public IEnumerable<JsonObject> Elements => Payload["screen"]!["elements"]!.AsArray().Select(e => e!.AsObject());

        public IReadOnlyList<string> History => Payload["history"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();

        public string? Notice => Payload["notice"]?.GetValue<string>();

        public string? Id(string kind, Func<JsonObject, bool> match) =>
            Elements.FirstOrDefault(e => e["kind"]!.GetValue<string>() == kind && match(e))?["id"]!.GetValue<string>();

        public string? Control(string name) => Id("control", e => e["name"]!.GetValue<string>().Equals(name, StringComparison.OrdinalIgnoreCase));

        public string? Field(string label) => Id("field", e => e["label"]!.GetValue<string>() == label);

        public JsonObject? Table(string column) => Elements.FirstOrDefault(e => e["kind"]!.GetValue<string>() == "table" &&
            e["columns"]!.AsArray().Any(c => c!.GetValue<string>() == column));

        public bool Did(string text) => History.Any(h => h.Contains(text, StringComparison.Ordinal) && h.Contains("-> ok", StringComparison.Ordinal));

        public bool LastWas(string text) => History.Count > 0 && History[^1].Contains(text, StringComparison.Ordinal);
    }

    public List<string> Requests { get; } = [];

    public static JsonObject Act(string action, string target = "", string value = "", string into = "", string field = "",
        IEnumerable<(string Header, string Field)>? columns = null, string resource = "none") => new()
    {
        ["action"] = action,
        ["target"] = target,
        ["value"] = value,
        ["into"] = into,
        ["field"] = field,
        ["columns"] = new JsonArray((columns ?? []).Select(c => (JsonNode)new JsonObject { ["header"] = c.Header, ["field"] = c.Field }).ToArray()),
        ["resource"] = resource,
        ["reason"] = "",
    };

    /// <summary>
    /// A sensible model for "the patient's allergy list": log in, search the sample MRN, open the chart, close popups,
    /// open the allergies section, read the MRN, read the table as AllergyIntolerance, done.
    /// </summary>
    public static JsonObject Sensible(Turn turn)
    {
        if (turn.Id("control", e => e["role"]!.GetValue<string>() == "button" && e["name"]!.GetValue<string>() == "OK") is { } ok)
        {
            return Act("click", ok);
        }
        if (turn.Field("Password:") is { } password)
        {
            return turn.LastWas("${secrets.password}") ? Act("click", turn.Control("Login")!)
                : turn.LastWas("${secrets.username}") ? Act("fill", password, "${secrets.password}")
                : Act("fill", turn.Field("Username:")!, "${secrets.username}");
        }
        if (turn.Table("Substance") is { } allergies)
        {
            if (!turn.Did("read_field"))
            {
                return Act("read_field", turn.Id("value", e => e["label"]!.GetValue<string>() == "MRN:")!, into: "patient", field: "mrn");
            }
            if (!turn.Did("read_table"))
            {
                return Act("read_table", allergies["id"]!.GetValue<string>(), into: "allergies", resource: "AllergyIntolerance", columns:
                [
                    ("Code", "code"), ("Code Sys", "system"), ("Substance", "display"), ("Type", "category"),
                    ("Reaction", "reaction"), ("Criticality", "criticality"), ("Status", "status"), ("Recorded", "recorded"),
                ]);
            }
            return Act("done");
        }
        if (turn.Control("Allergies") is { } tab)
        {
            return Act("select_tab", tab);
        }
        if (turn.Field("MRN:") is { } mrn && !turn.Did("${inputs.mrn}"))
        {
            return Act("fill", mrn, "${inputs.mrn}");
        }
        if (turn.LastWas("${inputs.mrn}"))
        {
            return Act("click", turn.Control("Search")!);
        }
        if (turn.Table("MRN") is { } patients && patients["rows"]!.GetValue<int>() > 0)
        {
            // A link named after a patient: masked, it shows as <name>; unmasked, as LAST, FIRST.
            return Act("click", turn.Id("control", e => e["role"]!.GetValue<string>() == "link" &&
                e["name"]!.GetValue<string>() is var n && (n == "<name>" || n.Contains(", ", StringComparison.Ordinal)))!);
        }
        return turn.Control("Patient Search") is { } search ? Act("click", search) : Act("give_up");
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Add(string.Join("\n", list.Select(m => m.Text)));
        // The schema the loop asks for is part of what it promises: answers must fit it.
        Assert.IsType<ChatResponseFormatJson>(options?.ResponseFormat);
        var payload = JsonNode.Parse(list[^1].Text)!.AsObject();
        var answer = policy(new Turn(payload, Requests.Count));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.ToJsonString()))
        {
            Usage = new UsageDetails { InputTokenCount = 500, OutputTokenCount = 40, TotalTokenCount = 540 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the author loop never streams");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    /// <summary>The requests as one text, for checks on what was sent.</summary>
    public string Sent => string.Join("\n", Requests);
}
