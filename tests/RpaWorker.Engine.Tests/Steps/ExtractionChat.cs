using Microsoft.Extensions.AI;

namespace RpaWorker.Engine.Tests.Steps;

/// <summary>
/// A chat client that answers extraction questions from a script keyed by the item kind asked for, and keeps every
/// request. Deterministic: the step's tests need no network and no model.
/// </summary>
internal sealed class ExtractionChat : IChatClient
{
    private readonly Dictionary<string, Func<string, string>> _answers = new(StringComparer.Ordinal);

    public List<string> Requests { get; } = [];

    /// <summary>Answers questions about <paramref name="kind"/> with the JSON <paramref name="answer"/> builds from the request text.</summary>
    public ExtractionChat On(string kind, Func<string, string> answer)
    {
        _answers[kind] = answer;
        return this;
    }

    public ExtractionChat On(string kind, string json) => On(kind, _ => json);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = string.Join("\n", messages.Select(m => m.Text));
        Requests.Add(text);
        // The payload names the item kind as "item_kind":"<name>".
        var kind = _answers.Keys.FirstOrDefault(k => text.Contains($"\"item_kind\":\"{k}\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("the script has no answer for this question");
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _answers[kind](text)))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("extraction never streams");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
