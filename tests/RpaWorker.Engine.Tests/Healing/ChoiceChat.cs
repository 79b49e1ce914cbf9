using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace RpaWorker.Engine.Tests.Healing;

/// <summary>
/// A chat client that answers element choices (<c>element_choice</c>) with the candidate a rule picks from the
/// payload as sent, and screen classifications with a fixed kind and handler, and keeps every request.
/// Deterministic: the tests need no network and no model.
/// </summary>
internal sealed class ChoiceChat(Func<JsonArray, int> choose) : IChatClient
{
    private (string Kind, string Handler) _screen = ("unknown", "none");

    /// <summary>Takes every screen it is asked about for <paramref name="kind"/>, dealt with by <paramref name="handler"/>.</summary>
    public ChoiceChat Classifying(string kind, string handler)
    {
        _screen = (kind, handler);
        return this;
    }

    public List<string> Requests { get; } = [];

    /// <summary>Picks the first candidate whose <paramref name="property"/> is <paramref name="value"/>.</summary>
    public static ChoiceChat Picking(string property, string value) => new(candidates =>
        candidates.Select((c, i) => (c, i)).First(x => x.c![property]?.GetValue<string>() == value).i);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Add(string.Join("\n", list.Select(m => m.Text)));
        var payload = JsonNode.Parse(list[^1].Text)!;
        if (payload["handlers"] is not null)
        {
            return Answer(new JsonObject { ["kind"] = _screen.Kind, ["handler"] = _screen.Handler, ["confidence"] = 0.9 });
        }
        var candidates = payload["candidates"]!.AsArray();
        var index = choose(candidates);
        var answer = new JsonObject
        {
            ["index"] = index,
            ["role"] = index < 0 ? "" : candidates[index]!["role"]!.GetValue<string>(),
            ["confidence"] = 0.9,
        };
        return Answer(answer);
    }

    private static Task<ChatResponse> Answer(JsonObject answer) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.ToJsonString()))
        {
            Usage = new UsageDetails { InputTokenCount = 200, OutputTokenCount = 15, TotalTokenCount = 215 },
        });

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("element choices never stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    public override string ToString() => Requests.Count.ToString(CultureInfo.InvariantCulture) + " request(s)";
}
