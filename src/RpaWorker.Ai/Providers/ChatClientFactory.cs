using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace RpaWorker.Ai.Providers;

/// <summary>A chat client for the configured provider, and the HTTP client under it (when this tier made it), which the chat client does not dispose.</summary>
internal sealed class ProviderClient(IChatClient chat, HttpClient? http, string providerName) : IDisposable
{
    public IChatClient Chat { get; } = chat;

    /// <summary>The provider's configuration name, for metrics and logs.</summary>
    public string Name { get; } = providerName;

    public void Dispose()
    {
        Chat.Dispose();
        http?.Dispose();
    }
}

/// <summary>
/// Builds the chat client for a provider. Every provider speaks the OpenAI chat completions API: OpenAI itself, Azure
/// OpenAI through its v1 API (so the Azure SDK is not needed), Ollama through its OpenAI API, and any compatible server.
/// </summary>
internal static class ChatClientFactory
{
    private static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");
    private static readonly Uri OllamaEndpoint = new("http://localhost:11434/v1");

    /// <summary>The client for <paramref name="options"/>; null when no provider is configured.</summary>
    public static ProviderClient? Create(AiOptions options, TimeProvider time, Func<string, string?> environment, HttpMessageHandler? transport = null)
    {
        var kind = options.ProviderKind ?? throw new RpaWorkerException($"Ai:Provider '{options.Provider}' is not a known provider");
        if (kind == AiProvider.None)
        {
            return null;
        }
        var key = options.ResolveApiKey(environment);
        HttpMessageHandler handler = new RetryHandler(options.MaxRetries, options.MaxRetryDelay, time)
        {
            InnerHandler = transport ?? new SocketsHttpHandler(),
        };
        if (kind == AiProvider.AzureOpenAI)
        {
            handler = new AzureKeyHandler(key ?? "") { InnerHandler = handler };
        }
        // The overall time limit is the assistant's (it spans retries); the HttpClient's own would cut retries short.
        var http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = Endpoint(kind, options.Endpoint),
            Transport = new HttpClientPipelineTransport(http),
            // One retry layer only: ours honours Retry-After with the configured cap and the injected clock.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = options.Timeout,
        };
        // Local servers (Ollama, most compatible ones) take no key, but the client requires one.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(key) ? "no-key" : key);
        var chat = new ChatClient(options.Model, credential, clientOptions).AsIChatClient();
        return new ProviderClient(chat, http, options.Provider.Trim().ToLowerInvariant());
    }

    internal static Uri Endpoint(AiProvider kind, string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return kind == AiProvider.Ollama ? OllamaEndpoint : OpenAIEndpoint;
        }
        var trimmed = configured.Trim().TrimEnd('/');
        if (kind == AiProvider.AzureOpenAI && !trimmed.Contains("/openai/", StringComparison.OrdinalIgnoreCase))
        {
            trimmed += "/openai/v1";
        }
        return new Uri(trimmed);
    }

    /// <summary>Azure OpenAI authenticates keys with its own header.</summary>
    private sealed class AzureKeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove("api-key");
            request.Headers.TryAddWithoutValidation("api-key", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
