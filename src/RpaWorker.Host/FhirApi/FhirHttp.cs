using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RpaWorker.Connectors;

namespace RpaWorker.Host.FhirApi;

/// <summary>FHIR responses: resources, OperationOutcomes for failures, searchset Bundles, and URLs.</summary>
internal static class FhirHttp
{
    public const string FhirJsonContentType = "application/fhir+json; charset=utf-8";

    /// <summary>HTTP 110 "Response is Stale" (RFC 7234): the data is older than its freshness policy allows.</summary>
    public const string StaleWarning = "110 - \"Response is Stale\"";

    /// <summary>The HTTP status and OperationOutcome issue code of each failure kind.</summary>
    public static (int Status, string Code) Describe(ConnectorFailureKind kind) => kind switch
    {
        ConnectorFailureKind.UnknownResourceType => (StatusCodes.Status404NotFound, "not-supported"),
        ConnectorFailureKind.NotFound => (StatusCodes.Status404NotFound, "not-found"),
        ConnectorFailureKind.InvalidParameter => (StatusCodes.Status400BadRequest, "invalid"),
        ConnectorFailureKind.UnsupportedParameter => (StatusCodes.Status400BadRequest, "not-supported"),
        ConnectorFailureKind.NotSupported => (StatusCodes.Status501NotImplemented, "not-supported"),
        _ => (StatusCodes.Status503ServiceUnavailable, "transient"),
    };

    public static Task WriteJsonAsync(HttpContext context, int status, string json, string contentType = FhirJsonContentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(json, Encoding.UTF8, context.RequestAborted);
    }

    public static Task WriteOutcomeAsync(HttpContext context, int status, string severity, string code, string diagnostics) =>
        WriteJsonAsync(context, status, OperationOutcome(severity, code, diagnostics));

    public static Task WriteFailureAsync(HttpContext context, ConnectorFailure failure)
    {
        var (status, code) = Describe(failure.Kind);
        if (failure.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Seconds(retryAfter);
        }

        return WriteOutcomeAsync(context, status, "error", code, failure.Reason);
    }

    /// <summary>202 Accepted for data being refreshed: poll Content-Location (this very request) after Retry-After.</summary>
    public static Task WritePendingAsync(HttpContext context, string statusUrl, TimeSpan retryAfter)
    {
        context.Response.Headers.ContentLocation = statusUrl;
        context.Response.Headers.RetryAfter = Seconds(retryAfter);
        return WriteOutcomeAsync(context, StatusCodes.Status202Accepted, "information", "informational",
            "The data is being refreshed from the source system. Request the Content-Location again after Retry-After seconds.");
    }

    /// <summary>An OperationOutcome with one issue, as JSON.</summary>
    public static string OperationOutcome(string severity, string code, string diagnostics)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "OperationOutcome");
            writer.WriteStartArray("issue");
            writer.WriteStartObject();
            writer.WriteString("severity", severity);
            writer.WriteString("code", code);
            writer.WriteString("diagnostics", diagnostics);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A searchset Bundle of a page: matches, included resources, a warning outcome, self and next links.</summary>
    public static string SearchSet(Uri baseUrl, string selfUrl, string? nextUrl, SearchPage page, string? warning, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Bundle");
            writer.WriteString("id", Guid.NewGuid().ToString("N"));
            writer.WriteStartObject("meta");
            writer.WriteString("lastUpdated", now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteString("type", "searchset");
            if (page.Total is { } total)
            {
                writer.WriteNumber("total", total);
            }

            writer.WriteStartArray("link");
            WriteLink(writer, "self", selfUrl);
            if (nextUrl is not null)
            {
                WriteLink(writer, "next", nextUrl);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("entry");
            foreach (var (resource, mode) in page.Matches.Select(r => (r, "match")).Concat(page.Included.Select(r => (r, "include"))))
            {
                writer.WriteStartObject();
                writer.WriteString("fullUrl", new Uri(baseUrl, resource.Reference).AbsoluteUri);
                writer.WritePropertyName("resource");
                writer.WriteRawValue(resource.Json);
                writer.WriteStartObject("search");
                writer.WriteString("mode", mode);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            if (warning is not null)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("resource");
                writer.WriteRawValue(OperationOutcome("warning", "informational", warning));
                writer.WriteStartObject("search");
                writer.WriteString("mode", "outcome");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The FHIR base URL, with a trailing slash: the configured public one, else this request's URL without its last
    /// <paramref name="trailingSegments"/> path segments (the part the FHIR route added).
    /// </summary>
    public static Uri BaseUrl(HttpContext context, FhirApiOptions options, int trailingSegments)
    {
        if (options.PublicBaseUrl is { } configured)
        {
            return configured.AbsoluteUri.EndsWith('/') ? configured : new Uri(configured.AbsoluteUri + "/");
        }

        var request = context.Request;
        var segments = (request.PathBase + request.Path).ToUriComponent().TrimEnd('/').Split('/');
        var path = string.Join('/', segments.Take(Math.Max(1, segments.Length - trailingSegments)));
        return new Uri($"{request.Scheme}://{request.Host.ToUriComponent()}{path}/");
    }

    /// <summary>False when the client asked (by <c>_format</c> or Accept) for a format other than JSON.</summary>
    public static bool AcceptsJson(HttpRequest request)
    {
        var format = request.Query["_format"].ToString();
        if (format.Length > 0)
        {
            return format.Contains("json", StringComparison.OrdinalIgnoreCase);
        }

        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal);
    }

    /// <summary>A wait as whole seconds for Retry-After (at least 1).</summary>
    public static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static void WriteLink(Utf8JsonWriter writer, string relation, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("relation", relation);
        writer.WriteString("url", url);
        writer.WriteEndObject();
    }
}
