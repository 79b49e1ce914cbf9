using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Rest;
using RpaWorker.Connectors;

namespace RpaWorker.Fhir;

/// <summary>
/// The plain FHIR API connector: serves the canonical contract by proxying any FHIR R4 server with Firely's
/// <see cref="FhirClient"/> — reads, searches (next pages followed through the server's own links), Bulk Data
/// <c>$export</c> where the server has it (search otherwise), and a change stream (the server's <c>$events</c> stream
/// where it has one, polling otherwise).
/// </summary>
/// <remarks>
/// <para>
/// Capabilities come from the server's CapabilityStatement (cached for
/// <see cref="FhirApiConnectorOptions.CapabilitiesCacheDuration"/>); requests for a type or search parameter it does not
/// declare fail before any call (<c>_id</c> and <c>_lastUpdated</c>, which FHIR defines for every resource, are assumed
/// when the server does not list them). Export and the change stream are always offered: by search and polling when the
/// server has nothing better. Answers are <see cref="DataFreshness.Live"/>.
/// </para>
/// <para>
/// The <see cref="HttpClient"/> carries whatever authentication the server needs (a handler or default headers) and is
/// owned by the caller. The connector only ever sends it to the server's own origin: next-page links, export status
/// and output URLs elsewhere are refused.
/// </para>
/// </remarks>
public sealed class FhirApiConnector : IClinicalConnector
{
    private static readonly HashSet<string> PagingParameters = new(["_count", "_format", "_getpages", "_getpagesoffset", "_page_token"], StringComparer.Ordinal);

    private readonly Uri _baseUrl;
    private readonly HttpClient _http;
    private readonly FhirApiConnectorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _capabilitiesGate = new(1, 1);
    private (ConnectorCapabilities Capabilities, CapabilityStatement Statement, DateTimeOffset FetchedAt)? _capabilities;

    /// <summary>Creates a connector to the FHIR server at <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">The server's base URL (where <c>metadata</c> lives).</param>
    /// <param name="http">The client to send with; the caller owns it and sets its timeout.</param>
    /// <param name="options">Paging, export and change-stream settings.</param>
    /// <param name="timeProvider">The clock for polling waits and the capabilities cache.</param>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not an absolute http(s) URL.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (a page size below 1, a wait that is not positive).</exception>
    public FhirApiConnector(Uri baseUrl, HttpClient http, FhirApiConnectorOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The FHIR base URL must be an absolute http or https URL.", nameof(baseUrl));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options.PageSize));
        foreach (var (value, name) in new[]
        {
            (options.CapabilitiesCacheDuration, nameof(options.CapabilitiesCacheDuration)),
            (options.ExportPollInterval, nameof(options.ExportPollInterval)),
            (options.ExportTimeout, nameof(options.ExportTimeout)),
            (options.ChangePollInterval, nameof(options.ChangePollInterval)),
            (options.PendingRetryInterval, nameof(options.PendingRetryInterval)),
        })
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, name);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChangePollOverlap, TimeSpan.Zero, nameof(options.ChangePollOverlap));

        // A base without a trailing slash would lose its last segment when relative URLs are resolved against it.
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = http;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>The server's base URL, ending with a slash.</summary>
    public Uri BaseUrl => _baseUrl;

    /// <inheritdoc />
    public async Task<ConnectorResult<ConnectorCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken)
    {
        var known = await CapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        return known.Ok ? known.Value.Capabilities : known.As<ConnectorCapabilities>();
    }

    /// <inheritdoc />
    public async Task<ConnectorResult<ReadResult>> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var capabilities = await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        if (!capabilities.Ok)
        {
            return capabilities.As<ReadResult>();
        }

        if (capabilities.Value!.Find(request.ResourceType) is null)
        {
            return UnknownType<ReadResult>(request.ResourceType);
        }

        if (!FhirSyntax.IsId(request.Id))
        {
            return ConnectorResult<ReadResult>.Fail(ConnectorFailureKind.NotFound, $"There is no {request.ResourceType} with that id.");
        }

        var read = await CallAsync(request.MaxWait, $"read a {request.ResourceType}", async (client, ct) =>
            await client.ReadAsync<Resource>($"{request.ResourceType}/{request.Id}", ct: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (!read.Ok)
        {
            return read.As<ReadResult>();
        }

        if (read.Value is null)
        {
            return ConnectorResult<ReadResult>.Fail(ConnectorFailureKind.NotFound, $"There is no {request.ResourceType} with that id.");
        }

        var resource = ConnectorResources.FromPoco(read.Value);
        IReadOnlyList<ConnectorResource> provenance = [];
        if (_options.ReadProvenance && capabilities.Value.Find("Provenance")?.Supports("target") == true)
        {
            var search = await SearchAsync(new SearchRequest("Provenance", [new("target", resource.Reference)]), cancellationToken).ConfigureAwait(false);
            if (search.Ok)
            {
                provenance = search.Value!.Matches;
            }
        }

        return new ReadResult(resource, DataFreshness.Live) { Provenance = provenance };
    }

    /// <inheritdoc />
    public async Task<ConnectorResult<SearchPage>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Parameters);
        if (request.Count is < 0)
        {
            return ConnectorResult<SearchPage>.Fail(ConnectorFailureKind.InvalidParameter, "_count must be 0 or more.", "_count");
        }

        var capabilities = await GetCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        if (!capabilities.Ok)
        {
            return capabilities.As<SearchPage>();
        }

        var type = capabilities.Value!.Find(request.ResourceType);
        if (type is null)
        {
            return UnknownType<SearchPage>(request.ResourceType);
        }

        Uri? next = null;
        if (request.PageToken is not null && (next = DecodePageToken(request.PageToken)) is null)
        {
            return ConnectorResult<SearchPage>.Fail(ConnectorFailureKind.InvalidParameter, "The page token is not one this connector issued.", "_page_token");
        }

        if (next is null && Unsupported(type, request.Parameters) is { } unsupported)
        {
            return ConnectorResult<SearchPage>.Fail(ConnectorFailureKind.UnsupportedParameter,
                $"The FHIR server does not support the search parameter '{unsupported}' on {request.ResourceType}.", unsupported);
        }

        var bundle = await CallAsync(request.MaxWait, $"search {request.ResourceType}", async (client, ct) =>
        {
            if (next is not null)
            {
                return await client.GetAsync(next, ct).ConfigureAwait(false) as Bundle;
            }

            var query = new SearchParams();
            foreach (var (name, value) in request.Parameters)
            {
                query.Add(name, value);
            }

            query.Count = request.Count;
            return await client.SearchAsync(query, request.ResourceType, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (!bundle.Ok)
        {
            return bundle.As<SearchPage>();
        }

        return ToPage(bundle.Value ?? new Bundle { Type = Bundle.BundleType.Searchset }, request.ResourceType);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var known = await CapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        if (!known.Ok)
        {
            yield return known.As<ConnectorResource>();
            yield break;
        }

        var (capabilities, statement, _) = known.Value;
        var types = ExportTypes(request, capabilities);
        if (!types.Ok)
        {
            yield return types.As<ConnectorResource>();
            yield break;
        }

        // What the server itself declares, not what this connector offers on top of it by search.
        var declared = ConnectorCapabilityStatement.FromStatement(statement);
        var native = request.Level == ExportLevel.System ? declared.SystemExport : declared.PatientExport;
        var useBulkData = _options.ExportMode == FhirApiExportMode.BulkData || (_options.ExportMode == FhirApiExportMode.Auto && native);
        var items = useBulkData
            ? new BulkExportClient(_baseUrl, _http, _options, _timeProvider).ExportAsync(request, cancellationToken)
            : ExportBySearchAsync(types.Value!, request.Since, cancellationToken);
        await foreach (var item in items.ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <inheritdoc />
    public async Task<ConnectorResult<IChangeSubscription>> SubscribeAsync(ChangeFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var known = await CapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        if (!known.Ok)
        {
            return known.As<IChangeSubscription>();
        }

        var capabilities = known.Value.Capabilities;
        if (filter.Types.FirstOrDefault(t => capabilities.Find(t) is null) is { } unknown)
        {
            return UnknownType<IChangeSubscription>(unknown);
        }

        var useEvents = _options.ChangeMode == FhirApiChangeMode.Events ||
            (_options.ChangeMode == FhirApiChangeMode.Auto && ServerHasEvents(known.Value.Statement));
        if (useEvents)
        {
            return await EventStreamSubscription.OpenAsync(_baseUrl, _http, filter, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var types = filter.Types.Count > 0 ? filter.Types : [.. capabilities.Resources.Select(r => r.ResourceType)];
        if (types.FirstOrDefault(t => capabilities.Find(t)?.Supports("_lastUpdated") != true) is { } unsearchable)
        {
            return ConnectorResult<IChangeSubscription>.Fail(ConnectorFailureKind.NotSupported,
                $"The FHIR server cannot be polled for changes of {unsearchable}: it does not support _lastUpdated searches on it.");
        }

        return await PollingSubscription.OpenAsync(this, types, _options, _timeProvider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a FhirClient call, mapping expected failures to values and following 202 answers for up to <paramref name="maxWait"/>.</summary>
    internal async Task<ConnectorResult<T?>> CallAsync<T>(TimeSpan? maxWait, string action, Func<FhirClient, CancellationToken, Task<T?>> call, CancellationToken cancellationToken)
    {
        var deadline = maxWait is { } wait ? _timeProvider.GetUtcNow() + wait : (DateTimeOffset?)null;
        while (true)
        {
            using var client = CreateClient();
            try
            {
                return ConnectorResult<T?>.Success(await call(client, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (FhirApiFailures.IsPending(ex))
            {
                var remaining = deadline - _timeProvider.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    return ConnectorResult<T?>.Pending(_options.PendingRetryInterval);
                }

                var delay = remaining is { } r && r < _options.PendingRetryInterval ? r : _options.PendingRetryInterval;
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (FhirApiFailures.FromException(ex, action, cancellationToken) is { } failure)
            {
                return ConnectorResult<T?>.Fail(failure);
            }
        }
    }

    /// <summary>A next-page token: the server's next link, base64url-encoded.</summary>
    internal static string EncodePageToken(Uri next) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(next.AbsoluteUri)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private Uri? DecodePageToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            // The token comes from a client: only ever follow it to this server.
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && IsOnServer(url) ? url : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="url"/> is under this server's base URL (same scheme, host, port and path prefix).</summary>
    internal bool IsOnServer(Uri url) =>
        url.IsAbsoluteUri && url.AbsoluteUri.StartsWith(_baseUrl.AbsoluteUri, StringComparison.OrdinalIgnoreCase);

    private SearchPage ToPage(Bundle bundle, string resourceType)
    {
        var matches = new List<ConnectorResource>();
        var included = new List<ConnectorResource>();
        foreach (var entry in bundle.Entry)
        {
            if (entry.Resource is null || entry.Search?.Mode == Bundle.SearchEntryMode.Outcome || entry.Resource is OperationOutcome)
            {
                continue;
            }

            var isMatch = entry.Search?.Mode == Bundle.SearchEntryMode.Match || (entry.Search?.Mode is null && entry.Resource.TypeName == resourceType);
            (isMatch ? matches : included).Add(ConnectorResources.FromPoco(entry.Resource));
        }

        var next = bundle.NextLink is { } link ? (link.IsAbsoluteUri ? link : new Uri(_baseUrl, link)) : null;
        return new SearchPage(matches, DataFreshness.Live)
        {
            Included = included,
            Total = bundle.Total,
            NextPageToken = next is not null && IsOnServer(next) ? EncodePageToken(next) : null,
        };
    }

    private async IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportBySearchAsync(
        IReadOnlyList<string> types, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var type in types)
        {
            var request = new SearchRequest(type, since is { } s ? [new("_lastUpdated", "gt" + FormatInstant(s))] : []) { Count = _options.PageSize };
            while (true)
            {
                var page = await SearchAsync(request, cancellationToken).ConfigureAwait(false);
                if (!page.Ok)
                {
                    yield return page.As<ConnectorResource>();
                    yield break;
                }

                foreach (var resource in page.Value!.Matches)
                {
                    yield return resource;
                }

                if (page.Value.NextPageToken is not { } token)
                {
                    break;
                }

                request = request with { PageToken = token };
            }
        }
    }

    /// <summary>The types an export covers, or the failure the contract asks for.</summary>
    private static ConnectorResult<IReadOnlyList<string>> ExportTypes(ExportRequest request, ConnectorCapabilities capabilities)
    {
        if (request.Types.FirstOrDefault(t => capabilities.Find(t) is null) is { } unknown)
        {
            return UnknownType<IReadOnlyList<string>>(unknown);
        }

        bool InCompartment(string type) => type == "Patient" || capabilities.Find(type)?.Supports("patient") == true;
        if (request.Level == ExportLevel.Patient && request.Types.FirstOrDefault(t => !InCompartment(t)) is { } outside)
        {
            return ConnectorResult<IReadOnlyList<string>>.Fail(ConnectorFailureKind.InvalidParameter,
                $"{outside} is not in the Patient compartment; a Patient-level export cannot include it.", "_type");
        }

        IReadOnlyList<string> types = request.Types.Count > 0
            ? request.Types
            : [.. capabilities.Resources.Select(r => r.ResourceType).Where(t => request.Level == ExportLevel.System || InCompartment(t))];
        return ConnectorResult<IReadOnlyList<string>>.Success(types);
    }

    /// <summary>The first parameter the type does not declare (control parameters included), or null when all are declared.</summary>
    private static string? Unsupported(ResourceCapability type, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var bare = name.Split(':', 2)[0];
            if (PagingParameters.Contains(bare))
            {
                continue;
            }

            var supported = bare switch
            {
                "_revinclude" => type.RevIncludes.Contains(value, StringComparer.Ordinal),
                _ => type.Supports(bare),
            };
            if (!supported)
            {
                return bare;
            }
        }

        return null;
    }

    private async Task<ConnectorResult<(ConnectorCapabilities Capabilities, CapabilityStatement Statement, DateTimeOffset FetchedAt)>> CapabilitiesAsync(CancellationToken cancellationToken)
    {
        await _capabilitiesGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _timeProvider.GetUtcNow();
            if (_capabilities is { } cached && now - cached.FetchedAt < _options.CapabilitiesCacheDuration)
            {
                return cached;
            }

            var fetched = await CallAsync(TimeSpan.Zero, "describe its capabilities", async (client, ct) =>
                await client.CapabilityStatementAsync(ct: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (!fetched.Ok)
            {
                return fetched.As<(ConnectorCapabilities, CapabilityStatement, DateTimeOffset)>();
            }

            if (fetched.Value is not { } statement)
            {
                return ConnectorResult<(ConnectorCapabilities, CapabilityStatement, DateTimeOffset)>.Fail(
                    ConnectorFailureKind.Unavailable, "The FHIR server sent no CapabilityStatement.");
            }

            var declared = ConnectorCapabilityStatement.FromStatement(statement);
            declared = declared with { Resources = [.. declared.Resources.Select(WithCommonParameters)] };
            // Export and changes need nothing from the server beyond search: offer them by search and polling where it
            // has no Bulk Data and no event stream.
            var capabilities = declared with
            {
                SystemExport = true,
                PatientExport = true,
                ChangeStream = declared.ChangeStream || declared.Resources.Any(r => r.Supports("_lastUpdated")),
            };
            _capabilities = (capabilities, statement, now);
            return _capabilities.Value;
        }
        finally
        {
            _capabilitiesGate.Release();
        }
    }

    /// <summary>
    /// The type with <c>_id</c> and <c>_lastUpdated</c>, which FHIR R4 defines for every resource and many servers do
    /// not list in their CapabilityStatement.
    /// </summary>
    private static ResourceCapability WithCommonParameters(ResourceCapability type)
    {
        var missing = new[] { new SearchParameterCapability("_id", SearchParameterType.Token), new SearchParameterCapability("_lastUpdated", SearchParameterType.Date) }
            .Where(p => !type.Supports(p.Name))
            .ToList();
        return missing.Count == 0 ? type : type with { SearchParameters = [.. type.SearchParameters, .. missing] };
    }

    private static bool ServerHasEvents(CapabilityStatement statement) =>
        statement.Rest.Any(r => r.Operation.Any(o => o.Definition == ConnectorCapabilityStatement.EventsOperationDefinition));

    private FhirClient CreateClient() => new(_baseUrl, _http, new FhirClientSettings
    {
        PreferredFormat = ResourceFormat.Json,
        VerifyFhirVersion = false,
    });

    private static ConnectorResult<T> UnknownType<T>(string resourceType) =>
        ConnectorResult<T>.Fail(ConnectorFailureKind.UnknownResourceType,
            FhirSyntax.IsResourceType(resourceType) ? $"The FHIR server does not serve {resourceType}." : "The resource type is not a FHIR resource type name.");

    /// <summary>An instant as FHIR writes it in a URL: UTC, seven fraction digits, 'Z' (no '+' to escape).</summary>
    internal static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
