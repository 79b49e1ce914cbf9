using Microsoft.Extensions.AI;

namespace RpaWorker.Ai.Tests.Fakes;

/// <summary>
/// A chat client that answers from a script, in order, and keeps every request it got. Deterministic: the logic
/// tests need no network and no model.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<ChatResponse>> _script = new();

    /// <summary>Every request: the messages' text joined, and the options.</summary>
    public List<(string Text, ChatOptions? Options)> Requests { get; } = [];

    public ScriptedChatClient Answer(string json, long inputTokens = 100, long outputTokens = 10)
    {
        _script.Enqueue(() => new ChatResponse(new ChatMessage(ChatRole.Assistant, json))
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        });
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests.Add((string.Join("\n", messages.Select(m => m.Text)), options));
        if (!_script.TryDequeue(out var next))
        {
            throw new InvalidOperationException($"the script has no answer for request {Requests.Count}");
        }
        return Task.FromResult(next());
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the assistant never streams");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
