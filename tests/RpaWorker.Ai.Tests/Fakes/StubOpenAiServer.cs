using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RpaWorker.Ai.Tests.Fakes;

/// <summary>What the stub answers to one request.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Content">The assistant message's content (for 200), or the error body.</param>
/// <param name="RetryAfter">A Retry-After header in seconds, when set.</param>
/// <param name="Hang">Never answer (until the client gives up).</param>
internal sealed record StubReply(int Status, string Content, int? RetryAfter = null, bool Hang = false)
{
    public static StubReply Json(string content) => new(200, content);
}

/// <summary>One request the stub received.</summary>
internal sealed record StubRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}

/// <summary>
/// An OpenAI-compatible server on a free loopback port: <c>POST /v1/chat/completions</c> (and Azure's
/// <c>/openai/v1/chat/completions</c>) answering from a script, with token usage, keeping every request it received.
/// </summary>
internal sealed class StubOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StubReply> _script = new();
    private readonly CancellationTokenSource _stopping = new();

    private StubOpenAiServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base address, e.g. http://127.0.0.1:41234.</summary>
    public string Address { get; }

    /// <summary>The OpenAI base path under the address.</summary>
    public string V1 => Address + "/v1";

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public StubOpenAiServer Then(StubReply reply)
    {
        _script.Enqueue(reply);
        return this;
    }

    /// <summary>Answers every request the script does not, from the request body (a model that reads the question).</summary>
    public StubOpenAiServer Answering(Func<JsonNode, StubReply> responder)
    {
        _responder = responder;
        return this;
    }

    private Func<JsonNode, StubReply>? _responder;

    public static async Task<StubOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        StubOpenAiServer? server = null;
        RequestDelegate handler = context => server!.HandleAsync(context);
        app.MapPost("/v1/chat/completions", handler);
        app.MapPost("/openai/v1/chat/completions", handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        server = new StubOpenAiServer(app, address);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new StubRequest(context.Request.Path, headers, body, TimeProvider.System.GetUtcNow()));
        if (!_script.TryDequeue(out var reply) && _responder is { } responder)
        {
            reply = responder(JsonNode.Parse(body)!);
        }
        if (reply is null)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("{\"error\":{\"message\":\"the stub has no scripted reply\"}}");
            return;
        }
        if (reply.Hang)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        if (reply.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (reply.Status != 200)
        {
            await context.Response.WriteAsync("{\"error\":{\"message\":\"" + reply.Content + "\",\"type\":\"stub\"}}");
            return;
        }
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-stub",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = "stub-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 321, ["completion_tokens"] = 12, ["total_tokens"] = 333 },
        };
        await context.Response.WriteAsync(completion.ToJsonString(new JsonSerializerOptions()));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
