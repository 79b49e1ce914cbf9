using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using RpaWorker.Connectors;

namespace RpaWorker.Fhir;

/// <summary>
/// A subscription to an RpaWorker FHIR surface's <c>$events</c> stream (server-sent events named <c>created</c> and
/// <c>updated</c> whose data is the resource). The server answers only once it has subscribed, so when
/// <see cref="OpenAsync"/> returns the subscription is live.
/// </summary>
internal sealed class EventStreamSubscription : IChangeSubscription
{
    private readonly HttpResponseMessage _response;

    private EventStreamSubscription(HttpResponseMessage response) => _response = response;

    public static async Task<ConnectorResult<IChangeSubscription>> OpenAsync(
        Uri baseUrl, HttpClient http, ChangeFilter filter, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var url = new Uri(baseUrl, "$events" + (filter.Types.Count > 0 ? "?_type=" + Uri.EscapeDataString(string.Join(',', filter.Types)) : ""));
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.ParseAdd("text/event-stream");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (FhirApiFailures.FromException(ex, "stream changes", cancellationToken) is { } failure)
        {
            return ConnectorResult<IChangeSubscription>.Fail(failure);
        }

        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            using (response)
            {
                var codes = await FhirApiFailures.IssueCodesAsync(response, cancellationToken).ConfigureAwait(false);
                return ConnectorResult<IChangeSubscription>.Fail(FhirApiFailures.FromStatus(
                    response.IsSuccessStatusCode ? System.Net.HttpStatusCode.NotImplemented : response.StatusCode,
                    codes, FhirApiFailures.RetryAfter(response, timeProvider), "stream changes"));
            }
        }

        return ConnectorResult<IChangeSubscription>.Success(new EventStreamSubscription(response));
    }

    public async IAsyncEnumerable<ResourceChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            stream = await _response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ObjectDisposedException)
        {
            yield break;
        }

        await using (stream.ConfigureAwait(false))
        {
            var events = SseParser.Create(stream).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (events.ConfigureAwait(false))
            {
                while (true)
                {
                    SseItem<string> item;
                    try
                    {
                        if (!await events.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }

                        item = events.Current;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
                    {
                        // The connection dropped: the stream ends, as the contract says, and the subscriber catches up.
                        yield break;
                    }

                    var kind = item.EventType switch
                    {
                        "created" => ChangeKind.Created,
                        "updated" => ChangeKind.Updated,
                        _ => (ChangeKind?)null,
                    };
                    if (kind is null)
                    {
                        // "error": the server dropped this subscriber; anything else is not ours to interpret.
                        if (item.EventType == "error")
                        {
                            yield break;
                        }

                        continue;
                    }

                    if (ConnectorResources.FromJson(item.Data) is { } resource)
                    {
                        yield return new ResourceChange(kind.Value, resource);
                    }
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Changes found by polling a plain FHIR server: every <see cref="FhirApiConnectorOptions.ChangePollInterval"/>, a
/// <c>_lastUpdated=gt</c> search per type from a little before the newest change seen, each version delivered once.
/// What the server already had when the subscription was made is recorded as seen, not delivered.
/// </summary>
internal sealed class PollingSubscription : IChangeSubscription
{
    private readonly FhirApiConnector _connector;
    private readonly IReadOnlyList<string> _types;
    private readonly FhirApiConnectorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private DateTimeOffset _watermark;

    private PollingSubscription(FhirApiConnector connector, IReadOnlyList<string> types, FhirApiConnectorOptions options, TimeProvider timeProvider)
    {
        _connector = connector;
        _types = types;
        _options = options;
        _timeProvider = timeProvider;
        // Live from now, by this worker's clock; the overlap covers a server clock somewhat behind it.
        _watermark = timeProvider.GetUtcNow();
    }

    /// <summary>Subscribes: one round of searches records what is there already, so that only later changes are delivered.</summary>
    public static async Task<ConnectorResult<IChangeSubscription>> OpenAsync(
        FhirApiConnector connector, IReadOnlyList<string> types, FhirApiConnectorOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var subscription = new PollingSubscription(connector, types, options, timeProvider);
        var baseline = await subscription.PollAsync(cancellationToken).ConfigureAwait(false);
        if (!baseline.Ok)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            return baseline.As<IChangeSubscription>();
        }

        return ConnectorResult<IChangeSubscription>.Success(subscription);
    }

    public async IAsyncEnumerable<ResourceChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        while (true)
        {
            ConnectorResult<IReadOnlyList<ConnectorResource>> round;
            try
            {
                await Task.Delay(_options.ChangePollInterval, _timeProvider, linked.Token).ConfigureAwait(false);
                round = await PollAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (!round.Ok)
            {
                // The server stopped answering: end the stream, as the contract says; the subscriber catches up.
                yield break;
            }

            foreach (var resource in round.Value!)
            {
                yield return new ResourceChange(resource.VersionId == "1" ? ChangeKind.Created : ChangeKind.Updated, resource);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One round: the versions not seen before, of every type, changed since a little before the watermark.</summary>
    private async Task<ConnectorResult<IReadOnlyList<ConnectorResource>>> PollAsync(CancellationToken cancellationToken)
    {
        var from = _watermark - _options.ChangePollOverlap;
        var newest = _watermark;
        var found = new List<ConnectorResource>();
        foreach (var type in _types)
        {
            var request = new SearchRequest(type, [new("_lastUpdated", "gt" + FhirApiConnector.FormatInstant(from))]) { Count = _options.PageSize };
            while (true)
            {
                var page = await _connector.SearchAsync(request, cancellationToken).ConfigureAwait(false);
                if (!page.Ok)
                {
                    return page.As<IReadOnlyList<ConnectorResource>>();
                }

                foreach (var resource in page.Value!.Matches)
                {
                    var at = resource.LastUpdated ?? _timeProvider.GetUtcNow();
                    if (_seen.TryAdd(resource.Reference + "|" + resource.VersionId + "|" + resource.LastUpdated?.UtcTicks, at))
                    {
                        newest = at > newest ? at : newest;
                        found.Add(resource);
                    }
                }

                if (page.Value.NextPageToken is not { } next)
                {
                    break;
                }

                request = request with { PageToken = next };
            }
        }

        _watermark = newest;
        foreach (var old in _seen.Where(s => s.Value < _watermark - _options.ChangePollOverlap).Select(s => s.Key).ToList())
        {
            _seen.Remove(old);
        }

        return found;
    }
}
