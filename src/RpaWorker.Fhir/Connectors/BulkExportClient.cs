using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RpaWorker.Connectors;

namespace RpaWorker.Fhir;

/// <summary>
/// A FHIR Bulk Data Access client (http://hl7.org/fhir/uv/bulkdata/export.html): kick-off with
/// <c>Prefer: respond-async</c>, status polling that follows <c>Retry-After</c>, the NDJSON output files streamed line by
/// line, and a DELETE of the job at the end so the server can drop its files.
/// </summary>
internal sealed class BulkExportClient(Uri baseUrl, HttpClient http, FhirApiConnectorOptions options, TimeProvider timeProvider)
{
    private const string Action = "export";

    public async IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var statusUrl = await KickOffAsync(request, cancellationToken).ConfigureAwait(false);
        if (!statusUrl.Ok)
        {
            yield return statusUrl.As<ConnectorResource>();
            yield break;
        }

        try
        {
            var manifest = await WaitForManifestAsync(statusUrl.Value!, cancellationToken).ConfigureAwait(false);
            if (!manifest.Ok)
            {
                yield return manifest.As<ConnectorResource>();
                yield break;
            }

            foreach (var file in manifest.Value!)
            {
                await foreach (var item in DownloadAsync(file, cancellationToken).ConfigureAwait(false))
                {
                    yield return item;
                    if (!item.Ok)
                    {
                        yield break;
                    }
                }
            }
        }
        finally
        {
            await DeleteAsync(statusUrl.Value!).ConfigureAwait(false);
        }
    }

    private async Task<ConnectorResult<Uri>> KickOffAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (request.Types.Count > 0)
        {
            query.Add("_type=" + Uri.EscapeDataString(string.Join(',', request.Types)));
        }

        if (request.Since is { } since)
        {
            query.Add("_since=" + Uri.EscapeDataString(FhirApiConnector.FormatInstant(since)));
        }

        var path = (request.Level == ExportLevel.Patient ? "Patient/$export" : "$export") + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, path));
        message.Headers.Accept.ParseAdd("application/fhir+json");
        message.Headers.Add("Prefer", "respond-async");
        var sent = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!sent.Ok)
        {
            return sent.As<Uri>();
        }

        using var response = sent.Value!;
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var location = response.Content.Headers.ContentLocation ?? response.Headers.Location;
        var status = location is null ? null : location.IsAbsoluteUri ? location : new Uri(baseUrl, location);
        return status is not null && SameOrigin(status)
            ? status
            : new ConnectorFailure(ConnectorFailureKind.Unavailable, "The FHIR server accepted the export without a status URL on its own origin.");
    }

    private async Task<ConnectorResult<IReadOnlyList<Uri>>> WaitForManifestAsync(Uri statusUrl, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.ExportTimeout;
        while (true)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, statusUrl);
            message.Headers.Accept.ParseAdd("application/json");
            var sent = await SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (!sent.Ok)
            {
                return sent.As<IReadOnlyList<Uri>>();
            }

            using var response = sent.Value!;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await ReadManifestAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return await FailureAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                return new ConnectorFailure(ConnectorFailureKind.Unavailable, $"The FHIR server's export did not finish within {options.ExportTimeout}.");
            }

            var wait = FhirApiFailures.RetryAfter(response, timeProvider) is { } asked && asked < options.ExportPollInterval ? asked : options.ExportPollInterval;
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ConnectorResult<IReadOnlyList<Uri>>> ReadManifestAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            var files = new List<Uri>();
            if (document.RootElement.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Array)
            {
                foreach (var file in output.EnumerateArray())
                {
                    if (!file.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String ||
                        !Uri.TryCreate(baseUrl, url.GetString(), out var absolute) || !SameOrigin(absolute))
                    {
                        // Output elsewhere would get this worker's credentials; the manifest is not trusted that far.
                        return new ConnectorFailure(ConnectorFailureKind.Unavailable, "The FHIR server's export manifest lists a file that is not on its own origin.");
                    }

                    files.Add(absolute);
                }
            }

            return files;
        }
        catch (JsonException)
        {
            return new ConnectorFailure(ConnectorFailureKind.Unavailable, "The FHIR server's export manifest is not JSON.");
        }
    }

    private async IAsyncEnumerable<ConnectorResult<ConnectorResource>> DownloadAsync(Uri file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, file);
        message.Headers.Accept.ParseAdd("application/fhir+ndjson");
        var sent = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!sent.Ok)
        {
            yield return sent.As<ConnectorResource>();
            yield break;
        }

        using var response = sent.Value!;
        if (!response.IsSuccessStatusCode)
        {
            yield return await FailureAsync(response, cancellationToken).ConfigureAwait(false);
            yield break;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (ConnectorResources.FromJson(line) is not { } resource)
            {
                yield return new ConnectorFailure(ConnectorFailureKind.Unavailable,
                    $"Line {lineNumber} of an export file from the FHIR server is not a FHIR resource.");
                yield break;
            }

            yield return resource;
        }
    }

    private async Task DeleteAsync(Uri statusUrl)
    {
        // Courtesy to the server: the files hold PHI and need not wait for its retention limit. A failure changes nothing here.
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), timeProvider);
            using var message = new HttpRequestMessage(HttpMethod.Delete, statusUrl);
            using var response = await http.SendAsync(message, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
        }
    }

    private async Task<ConnectorResult<HttpResponseMessage>> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FhirApiFailures.FromException(ex, Action, cancellationToken) is { } failure)
        {
            return failure;
        }
    }

    private async Task<ConnectorFailure> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        FhirApiFailures.FromStatus(response.StatusCode, await FhirApiFailures.IssueCodesAsync(response, cancellationToken).ConfigureAwait(false),
            FhirApiFailures.RetryAfter(response, timeProvider), Action);

    private bool SameOrigin(Uri url) =>
        Uri.Compare(url, baseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

