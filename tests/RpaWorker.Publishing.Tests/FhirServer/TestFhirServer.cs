using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RpaWorker.Publishing.Tests.FhirServer;

/// <summary>
/// A FHIR endpoint on 127.0.0.1 and a free port that records every transaction posted to <c>/fhir</c> and answers
/// scripted failures first, then 200 with a transaction-response Bundle.
/// </summary>
internal sealed class TestFhirServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedAnswer> _script = new();

    private TestFhirServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in order, failed ones included.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>The bodies of the transactions the server accepted.</summary>
    public IEnumerable<string> Accepted => Requests.Where(r => r.Status == StatusCodes.Status200OK).Select(r => r.Body);

    public static async Task<TestFhirServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new TestFhirServer(app);
        app.MapPost("/fhir", server.HandleAsync);
        await app.StartAsync();
        // Kestrel replaces port 0 with the port it bound once started.
        server.BaseUrl = new Uri(app.Urls.Single() + "/fhir");
        return server;
    }

    /// <summary>The next requests get <paramref name="status"/> (and Retry-After and body when given), <paramref name="times"/> times.</summary>
    public void Answer(int status, int times = 1, string? retryAfter = null, string? body = null)
    {
        for (var i = 0; i < times; i++)
        {
            _script.Enqueue(new ScriptedAnswer(status, retryAfter, body));
        }
    }

    /// <summary>The next request gets no answer until the client gives up on it.</summary>
    public void Hang() => _script.Enqueue(new ScriptedAnswer(0, null, null));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var answer = _script.TryDequeue(out var scripted) ? scripted : new ScriptedAnswer(StatusCodes.Status200OK, null, null);
        if (answer.Status == 0)
        {
            Requests.Enqueue(new RecordedRequest(context.Request.ContentType, context.Request.Headers.Accept.ToString(), body, 0));
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        Requests.Enqueue(new RecordedRequest(context.Request.ContentType, context.Request.Headers.Accept.ToString(), body, answer.Status));
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync(answer.Body ?? """{"resourceType":"Bundle","type":"transaction-response"}""", context.RequestAborted);
    }

    private sealed record ScriptedAnswer(int Status, string? RetryAfter, string? Body);
}

internal sealed record RecordedRequest(string? ContentType, string Accept, string Body, int Status);
