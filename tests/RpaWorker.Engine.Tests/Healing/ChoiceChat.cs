using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace RpaWorker.Engine.Tests.Healing;

/// <summary>
/// A chat client that answers element choices (<c>element_choice</c>) with the candidate a rule picks from the
/// payload as sent, and keeps every request. Deterministic: the tests need no network and no model.
/// </summary>
internal sealed class ChoiceChat(Func<JsonArray, int> choose) : IChatClient
{
    public List<string> Requests { get; } = [];

    /// <summary>Picks the first candidate whose <paramref name="property"/> is <paramref name="value"/>.</summary>
    public static ChoiceChat Picking(string property, string value) => new(candidates =>
        candidates.Select((c, i) => (c, i)).First(x => x.c![property]?.GetValue<string>() == value).i);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Add(string.Join("\n", list.Select(m => m.Text)));
        var candidates = JsonNode.Parse(list[^1].Text)!["candidates"]!.AsArray();
        var index = choose(candidates);
        var answer = new JsonObject
        {
            ["index"] = index,
            ["role"] = index < 0 ? "" : candidates[index]!["role"]!.GetValue<string>(),
            ["confidence"] = 0.9,
        };
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.ToJsonString()))
        {
            Usage = new UsageDetails { InputTokenCount = 200, OutputTokenCount = 15, TotalTokenCount = 215 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("element choices never stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    public override string ToString() => Requests.Count.ToString(CultureInfo.InvariantCulture) + " request(s)";
}
