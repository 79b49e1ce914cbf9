using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace RpaWorker.Publishing;

/// <summary>
/// Publishes each batch to a FHIR R4 server as one <c>transaction</c> Bundle of updates: a conditional update
/// <c>PUT &lt;Type&gt;?identifier=&lt;system&gt;|&lt;value&gt;</c> when the resource has a business identifier, else
/// <c>PUT &lt;Type&gt;/&lt;id&gt;</c>. Updates are idempotent, so a batch that is sent again leaves the server as it was.
/// </summary>
/// <remarks>
/// Transient failures (429, 500, 502, 503, 504, network errors, timeouts) are retried with exponential backoff and
/// jitter, waiting what a <c>Retry-After</c> header asks for when the server sends one (see
/// <see cref="FhirServerSinkOptions"/>). Other 4xx answers throw <see cref="FhirServerRejectedException"/> at once.
/// </remarks>
public sealed class FhirServerSink : IResourceSink
{
    private const string FhirJson = "application/fhir+json";

    private static readonly HashSet<HttpStatusCode> TransientStatuses =
    [
        HttpStatusCode.TooManyRequests,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>What a severity or code outside the FHIR value sets is reported as.</summary>
    internal const string NonStandardCode = "non-standard";

    // http://hl7.org/fhir/R4/valueset-issue-severity.html and valueset-issue-type.html
    private static readonly HashSet<string> IssueSeverities = new(["fatal", "error", "warning", "information"], StringComparer.Ordinal);

    private static readonly HashSet<string> IssueTypes = new(
    [
        "invalid", "structure", "required", "value", "invariant", "security", "login", "unknown", "expired", "forbidden",
        "suppressed", "processing", "not-supported", "duplicate", "multiple-matches", "not-found", "deleted", "too-long",
        "code-invalid", "extension", "too-costly", "business-rule", "conflict", "transient", "lock-error", "no-store",
        "exception", "timeout", "incomplete", "throttled", "informational",
    ], StringComparer.Ordinal);

    private readonly Uri _baseUrl;
    private readonly HttpClient _http;
    private readonly FhirServerSinkOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Creates a sink posting to the FHIR server at <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">The server's base URL (where <c>metadata</c> lives); transactions are posted to it.</param>
    /// <param name="http">The client to send with; the caller owns it (its own timeout should exceed <see cref="FhirServerSinkOptions.Timeout"/>).</param>
    /// <param name="options">Retry and timeout settings.</param>
    /// <param name="timeProvider">The clock for retry delays, timeouts and <c>Retry-After</c> dates.</param>
    public FhirServerSink(Uri baseUrl, HttpClient http, FhirServerSinkOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options.MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaseDelay, TimeSpan.Zero, nameof(options.BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, options.BaseDelay, nameof(options.MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, nameof(options.Timeout));

        // A base without a trailing slash would lose its last segment when relative URLs are resolved against it.
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = http;
        _options = options;
        _pipeline = BuildPipeline(options, timeProvider);
    }

    /// <inheritdoc />
    public string Name => "fhir";

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken)
    {
        var resources = PublishedBatch.Normalize(batch);
        if (resources.Count == 0)
        {
            return;
        }

        var bundle = BuildTransaction(resources);
        var description = Describe(resources);
        using var response = await SendAsync(bundle, description, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (TransientStatuses.Contains(response.StatusCode))
        {
            throw new FhirServerUnavailableException(
                $"The FHIR server answered HTTP {(int)response.StatusCode} to a transaction of {description} " +
                $"on each of {_options.MaxAttempts} attempts.");
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new FhirServerRejectedException(response.StatusCode, ReadIssues(body), description);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Builds the transaction Bundle for a normalised batch, as UTF-8 JSON.</summary>
    internal byte[] BuildTransaction(IReadOnlyList<PublishedResource> resources)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Bundle");
            writer.WriteString("type", "transaction");
            writer.WriteStartArray("entry");
            foreach (var resource in resources)
            {
                writer.WriteStartObject();
                // fullUrl lets the server rewrite references between entries (e.g. Condition.subject to the Patient)
                // to whatever resource a conditional update matched.
                writer.WriteString("fullUrl", new Uri(_baseUrl, $"{resource.ResourceType}/{resource.Id}").AbsoluteUri);
                writer.WritePropertyName("resource");
                try
                {
                    writer.WriteRawValue(resource.Json);
                }
                catch (JsonException ex)
                {
                    throw new RpaWorkerException($"Resource {resource.ResourceType}/{resource.Id} is not valid JSON.", ex);
                }

                writer.WriteStartObject("request");
                writer.WriteString("method", "PUT");
                writer.WriteString("url", RequestUrl(resource));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The entry's request URL: a conditional update on the identifier when there is one, else an update by id.</summary>
    internal static string RequestUrl(PublishedResource resource)
    {
        if (string.IsNullOrEmpty(resource.Identifier))
        {
            return $"{resource.ResourceType}/{resource.Id}";
        }

        var bar = resource.Identifier.IndexOf('|', StringComparison.Ordinal);
        var token = bar < 0
            ? Uri.EscapeDataString(resource.Identifier)
            : Uri.EscapeDataString(resource.Identifier[..bar]) + "|" + Uri.EscapeDataString(resource.Identifier[(bar + 1)..]);
        return $"{resource.ResourceType}?identifier={token}";
    }

    /// <summary>
    /// The wait a <c>Retry-After</c> header asks for (delta seconds or an HTTP date), capped at <paramref name="maxDelay"/>;
    /// null when the response has none.
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider, TimeSpan maxDelay)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > maxDelay ? maxDelay : value;
    }

    private async Task<HttpResponseMessage> SendAsync(byte[] bundle, string description, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    // A request message can be sent once only: every attempt gets its own.
                    using var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson));
                    request.Content = new ByteArrayContent(bundle);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(FhirJson) { CharSet = "utf-8" };
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new FhirServerUnavailableException(
                $"The FHIR server could not be reached for a transaction of {description} in {_options.MaxAttempts} attempts ({ex.GetType().Name}).",
                ex);
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(FhirServerSinkOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Result: { } response } => TransientStatuses.Contains(response.StatusCode),
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    // HttpClient's own timeout surfaces as a cancellation the caller did not ask for.
                    { Exception: OperationCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter(response, timeProvider, options.MaxDelay) : null),
            });
        }

        // Inside the retry, so the timeout bounds each attempt rather than the whole batch.
        return builder.AddTimeout(options.Timeout).Build();
    }

    private static IReadOnlyList<FhirIssue> ReadIssues(string body)
    {
        var issues = new List<FhirIssue>();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("issue", out var array)
                && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var issue in array.EnumerateArray())
                {
                    issues.Add(new FhirIssue(ReadCode(issue, "severity", IssueSeverities), ReadCode(issue, "code", IssueTypes)));
                }
            }
        }
        catch (JsonException)
        {
            // Not an OperationOutcome (an HTML error page from a proxy, say): the status alone is reported.
        }

        return issues;
    }

    // Only codes from the FHIR value sets are copied into messages: any other string in these fields could be echoed data.
    private static string ReadCode(JsonElement issue, string property, HashSet<string> valueSet) =>
        issue.ValueKind == JsonValueKind.Object
        && issue.TryGetProperty(property, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { } code
        && valueSet.Contains(code)
            ? code
            : NonStandardCode;

    private static string Describe(IReadOnlyList<PublishedResource> resources) =>
        $"{resources.Count} resources (" +
        string.Join(", ", resources.GroupBy(r => r.ResourceType, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")) + ")";
}
