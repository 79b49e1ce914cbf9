using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;
using RpaWorker.Fhir;

namespace RpaWorker.Host.FhirApi;

/// <summary>Maps the canonical connector's FHIR R4 HTTP surface.</summary>
public static class FhirApiEndpoints
{
    private const string PageTokenParameter = "_page_token";
    private const string ProvenanceRelation = "http://www.w3.org/ns/prov#has_provenance";

    /// <summary>
    /// Serves, under <paramref name="prefix"/>, the <see cref="IClinicalConnector"/> resolved from each request's
    /// services: <c>metadata</c> (CapabilityStatement), <c>{type}/{id}</c> (read), <c>{type}?…</c> (search, searchset
    /// Bundles with next links), Bulk Data <c>$export</c> and <c>Patient/$export</c> (with <c>$export-status/{id}</c>
    /// and <c>$export-file/{id}/{file}</c>), and <c>$events</c> (server-sent events of created and updated
    /// resources). Everything answers <c>application/fhir+json</c>; errors are OperationOutcomes with the status of
    /// their kind (404 unknown type or id, 400 bad or unsupported parameter, 501 unsupported interaction, 503 source
    /// unavailable). A read or search whose data is being refreshed on demand answers 202 with Content-Location and
    /// Retry-After after <see cref="FhirApiOptions.OnDemandWait"/>.
    /// </summary>
    /// <remarks>
    /// Needs <see cref="FhirApiServiceCollectionExtensions.AddFhirApi"/> and a scoped or singleton
    /// <see cref="IClinicalConnector"/> registration that also resolves outside a request (export jobs run in their own
    /// scope). Adds no authentication: call <c>RequireAuthorization()</c> on the returned group. An export is visible
    /// only to the authenticated client that started it, when there is one.
    /// </remarks>
    /// <returns>The route group, for conventions such as authorization.</returns>
    public static RouteGroupBuilder MapFhirApi(this IEndpointRouteBuilder app, string prefix = "/fhir")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var group = app.MapGroup(prefix);
        group.MapGet("metadata", MetadataAsync);
        ExportEndpoints.Map(group);
        group.MapGet("$events", EventStream.StreamAsync);
        group.MapGet("{type}", SearchAsync);
        group.MapGet("{type}/{id}", ReadAsync);
        group.MapFallback("{**path}", context => FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status501NotImplemented, "error", "not-supported",
            "This FHIR endpoint serves metadata, read, search, $export and $events only."));
        return group;
    }

    private static async Task MetadataAsync(HttpContext context)
    {
        var (options, connector) = Services(context);
        var capabilities = await connector.GetCapabilitiesAsync(context.RequestAborted);
        if (!capabilities.Ok)
        {
            await WriteNotOkAsync(context, capabilities.Failure, options, "metadata", capabilities.RetryAfter);
            return;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var statement = ConnectorCapabilityStatement.ToStatement(capabilities.Value!, options.SoftwareName, FhirHttp.BaseUrl(context, options, 1), now);
        await FhirHttp.WriteJsonAsync(context, StatusCodes.Status200OK, FhirJson.Serialize(statement));
    }

    private static async Task ReadAsync(HttpContext context, string type, string id)
    {
        var (options, connector) = Services(context);
        if (!await CheckRequestAsync(context, type))
        {
            return;
        }

        var result = await connector.ReadAsync(new ReadRequest(type, id) { MaxWait = options.OnDemandWait }, context.RequestAborted);
        var baseUrl = FhirHttp.BaseUrl(context, options, 2);
        if (!result.Ok)
        {
            await WriteNotOkAsync(context, result.Failure, options, type + "/" + id, result.RetryAfter);
            return;
        }

        var (resource, freshness) = (result.Value!.Resource, result.Value.Freshness);
        var headers = context.Response.Headers;
        if (resource.VersionId is { } version)
        {
            headers.ETag = $"W/\"{version}\"";
        }

        if (resource.LastUpdated is { } lastUpdated)
        {
            headers.LastModified = lastUpdated.ToString("R", CultureInfo.InvariantCulture);
        }

        if (result.Value.Provenance.Count > 0)
        {
            headers.Link = string.Join(", ", result.Value.Provenance.Select(p => $"<{new Uri(baseUrl, p.Reference).AbsoluteUri}>; rel=\"{ProvenanceRelation}\""));
        }

        if (freshness.IsStale)
        {
            headers.Warning = FhirHttp.StaleWarning;
        }

        await FhirHttp.WriteJsonAsync(context, StatusCodes.Status200OK, resource.Json);
    }

    private static async Task SearchAsync(HttpContext context, string type)
    {
        var (options, connector) = Services(context);
        if (!await CheckRequestAsync(context, type))
        {
            return;
        }

        var parameters = new List<KeyValuePair<string, string>>();
        int? count = null;
        string? pageToken = null;
        foreach (var (name, values) in context.Request.Query)
        {
            foreach (var value in values.OfType<string>())
            {
                switch (name)
                {
                    case "_format":
                        break;
                    case "_count":
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                        {
                            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "invalid", "_count must be a whole number, 0 or more.");
                            return;
                        }

                        count = parsed;
                        break;
                    case PageTokenParameter:
                        pageToken = value;
                        break;
                    default:
                        parameters.Add(new(name, value));
                        break;
                }
            }
        }

        var result = await connector.SearchAsync(new SearchRequest(type, parameters) { Count = count, PageToken = pageToken, MaxWait = options.OnDemandWait }, context.RequestAborted);
        if (!result.Ok)
        {
            await WriteNotOkAsync(context, result.Failure, options, type, result.RetryAfter);
            return;
        }

        var page = result.Value!;
        var baseUrl = FhirHttp.BaseUrl(context, options, 1);
        var self = new Uri(baseUrl, type).AbsoluteUri + context.Request.QueryString;
        string? next = null;
        if (page.NextPageToken is { } token)
        {
            var query = parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))
                .Concat(count is { } c ? [$"_count={c}"] : [])
                .Append($"{PageTokenParameter}={Uri.EscapeDataString(token)}");
            next = new Uri(baseUrl, type).AbsoluteUri + "?" + string.Join('&', query);
        }

        string? warning = null;
        if (page.Freshness.IsStale)
        {
            context.Response.Headers.Warning = FhirHttp.StaleWarning;
            warning = "The data is older than this server's freshness policy allows: refreshing it from the source failed, so the stored copy is served.";
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        await FhirHttp.WriteJsonAsync(context, StatusCodes.Status200OK, FhirHttp.SearchSet(baseUrl, self, next, page, warning, now));
    }

    /// <summary>Writes the answer of a result that is not a success: 202 for pending, else the failure's OperationOutcome.</summary>
    private static Task WriteNotOkAsync(HttpContext context, ConnectorFailure? failure, FhirApiOptions options, string relativePath, TimeSpan? retryAfter = null)
    {
        if (failure is not null)
        {
            return FhirHttp.WriteFailureAsync(context, failure);
        }

        var segments = relativePath.Count(c => c == '/') + 1;
        var statusUrl = new Uri(FhirHttp.BaseUrl(context, options, segments), relativePath).AbsoluteUri + context.Request.QueryString;
        return FhirHttp.WritePendingAsync(context, statusUrl, retryAfter ?? options.PendingRetryAfter);
    }

    /// <summary>Refuses, with an OperationOutcome, a request for a non-JSON format or for a type name that is not one.</summary>
    private static async Task<bool> CheckRequestAsync(HttpContext context, string type)
    {
        if (!FhirHttp.AcceptsJson(context.Request))
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status406NotAcceptable, "error", "not-supported", "This server speaks application/fhir+json only.");
            return false;
        }

        if (!FhirSyntax.IsResourceType(type))
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "error", "not-supported", "The resource type is not a FHIR resource type name.");
            return false;
        }

        return true;
    }

    private static (FhirApiOptions Options, IClinicalConnector Connector) Services(HttpContext context) =>
        (context.RequestServices.GetRequiredService<IOptions<FhirApiOptions>>().Value, context.RequestServices.GetRequiredService<IClinicalConnector>());
}

/// <summary>
/// <c>$events</c>: a server-sent-events stream of created and updated resources (<c>event: created|updated</c>,
/// <c>id: Type/id/_history/version</c>, <c>data:</c> the resource), with keep-alive comments. The response starts only
/// once the subscription is live. When the connector stops delivering (the client fell behind, or the source's own
/// stream closed) a last <c>event: error</c> with an OperationOutcome says so and the stream ends: reconnect and catch
/// up with <c>$export?_since=</c>.
/// </summary>
internal static class EventStream
{
    public static async Task StreamAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<FhirApiOptions>>().Value;
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        if (context.Request.Query.Keys.FirstOrDefault(k => k is not ("_type" or "_format")) is { } unsupported)
        {
            await FhirHttp.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "error", "not-supported",
                $"The event stream parameter '{unsupported}' is not supported (supported: _type).");
            return;
        }

        var types = context.Request.Query["_type"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        var connector = context.RequestServices.GetRequiredService<IClinicalConnector>();
        var subscribed = await connector.SubscribeAsync(new ChangeFilter { Types = types }, context.RequestAborted);
        if (!subscribed.Ok)
        {
            await FhirHttp.WriteFailureAsync(context, subscribed.Failure ?? new ConnectorFailure(ConnectorFailureKind.Unavailable, "The connector is not ready."));
            return;
        }

        await using var subscription = subscribed.Value!;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var aborted = context.RequestAborted;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var changes = subscription.ReadAllAsync(reading.Token).GetAsyncEnumerator(reading.Token);
        var next = Task.FromResult(false);
        try
        {
            await WriteAsync(response, ": subscribed\n\n", aborted);
            next = changes.MoveNextAsync().AsTask();
            while (true)
            {
                using (var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted))
                {
                    var heartbeat = Task.Delay(options.EventsHeartbeat, time, beat.Token);
                    if (await Task.WhenAny(next, heartbeat) == heartbeat)
                    {
                        await heartbeat;
                        await WriteAsync(response, ": keep-alive\n\n", aborted);
                        continue;
                    }

                    await beat.CancelAsync();
                }

                if (!await next)
                {
                    break;
                }

                var change = changes.Current;
                var resource = change.Resource;
                var frame = new StringBuilder();
                frame.Append("id: ").Append(resource.Reference);
                if (resource.VersionId is { } version)
                {
                    frame.Append("/_history/").Append(version);
                }

                frame.Append("\nevent: ").Append(change.Kind == ChangeKind.Created ? "created" : "updated").Append('\n');
                foreach (var line in resource.Json.Split('\n'))
                {
                    frame.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
                }

                await WriteAsync(response, frame.Append('\n').ToString(), aborted);
                next = changes.MoveNextAsync().AsTask();
            }

            var outcome = FhirHttp.OperationOutcome("error", "incomplete",
                "The change stream ended (this client fell behind, or the source closed its stream); changes may have been missed. Reconnect and catch up with $export?_since=.");
            await WriteAsync(response, $"event: error\ndata: {outcome}\n\n", aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            await reading.CancelAsync();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
            }

            await changes.DisposeAsync();
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
