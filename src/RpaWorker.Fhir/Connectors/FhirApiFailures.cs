using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using RpaWorker.Connectors;

namespace RpaWorker.Fhir;

/// <summary>
/// Turns what an upstream FHIR server answered into connector failures. Reasons name the HTTP status and the
/// OperationOutcome's issue codes, never its diagnostics or text (a server may echo search values there).
/// </summary>
internal static class FhirApiFailures
{
    /// <summary>The failure for an exception thrown while talking to the server, or null when it is not an expected one.</summary>
    public static ConnectorFailure? FromException(Exception exception, string action, CancellationToken cancellationToken) => exception switch
    {
        FhirOperationException fhir => FromStatus(fhir.Status, fhir.Outcome?.Issue.Select(i => i.Code?.ToString()), null, action),
        HttpRequestException http => new ConnectorFailure(ConnectorFailureKind.Unavailable,
            $"The FHIR server could not be reached to {action} ({http.HttpRequestError}).") { RetryAfter = null },
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new ConnectorFailure(ConnectorFailureKind.Unavailable, $"The FHIR server did not answer in time to {action}."),
        DeserializationFailedException or JsonException or FormatException =>
            new ConnectorFailure(ConnectorFailureKind.Unavailable, $"The FHIR server answered with something that is not FHIR JSON to {action}."),
        _ => null,
    };

    /// <summary>The failure for a response with an error status.</summary>
    public static ConnectorFailure FromStatus(HttpStatusCode status, IEnumerable<string?>? issueCodes, TimeSpan? retryAfter, string action)
    {
        var codes = issueCodes?.OfType<string>().Select(c => c.ToLowerInvariant()).Distinct().ToList() ?? [];
        var detail = $"HTTP {(int)status}" + (codes.Count == 0 ? "" : ", issues " + string.Join(", ", codes));
        var kind = (int)status switch
        {
            404 or 410 => ConnectorFailureKind.NotFound,
            400 or 422 when codes.Contains("notsupported") || codes.Contains("not-supported") => ConnectorFailureKind.UnsupportedParameter,
            400 or 422 => ConnectorFailureKind.InvalidParameter,
            405 or 501 => ConnectorFailureKind.NotSupported,
            _ => ConnectorFailureKind.Unavailable,
        };
        var reason = (int)status is 401 or 403
            ? $"The FHIR server refused this worker's credentials to {action} ({detail})."
            : $"The FHIR server could not {action} ({detail}).";
        return new ConnectorFailure(kind, reason) { RetryAfter = retryAfter };
    }

    /// <summary>The <c>Retry-After</c> of a response as a wait from now, when it has one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? Max(date - timeProvider.GetUtcNow(), TimeSpan.Zero) : null;
    }

    /// <summary>The issue codes of an OperationOutcome body, when the body is one.</summary>
    public static async Task<IReadOnlyList<string>> IssueCodesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("issue", out var issues) || issues.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return [.. issues.EnumerateArray()
                .Select(i => i.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null)
                .OfType<string>()];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>True when <paramref name="exception"/> is the server's 202 Accepted ("ask again later").</summary>
    public static bool IsPending(Exception exception) => exception is FhirOperationException { Status: HttpStatusCode.Accepted };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>Resources as the connector passes them on.</summary>
internal static class ConnectorResources
{
    /// <summary>A POCO as one-line FHIR JSON, with its meta's version and time.</summary>
    public static ConnectorResource FromPoco(Resource resource) =>
        new(resource.TypeName, resource.Id ?? "", FhirJson.Serialize(resource))
        {
            VersionId = resource.Meta?.VersionId,
            LastUpdated = resource.Meta?.LastUpdated,
        };

    /// <summary>
    /// A resource from one line of FHIR JSON (NDJSON, an event), kept as it came; null when the line is not a JSON object
    /// with a resourceType and an id.
    /// </summary>
    public static ConnectorResource? FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "resourceType") is not { } type || Text(root, "id") is not { } id)
            {
                return null;
            }

            var meta = root.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            return new ConnectorResource(type, id, json.Trim())
            {
                VersionId = meta.ValueKind == JsonValueKind.Object ? Text(meta, "versionId") : null,
                LastUpdated = meta.ValueKind == JsonValueKind.Object && Text(meta, "lastUpdated") is { } text &&
                    DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at)
                    ? at
                    : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
