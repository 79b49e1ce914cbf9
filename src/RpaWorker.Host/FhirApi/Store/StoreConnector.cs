using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;
using RpaWorker.Publishing;

namespace RpaWorker.Host.FhirApi;

/// <summary>
/// The RPA connector's store side: serves the canonical contract from the local store that playbook runs publish
/// into, and refreshes a patient's data on demand through <see cref="IPatientExtraction"/> when it is older than the
/// type's freshness policy.
/// </summary>
/// <remarks>
/// <para>
/// A read, or a search that names one patient (<c>patient=</c>/<c>subject=</c> with one value, or a Patient search by
/// one <c>identifier</c> or <c>_id</c>), first checks when the source last confirmed that patient (the publish time of
/// the Patient resource, see <see cref="SqliteSink.GetLastPublishedAsync"/>). Within the policy's
/// <see cref="StoreConnectorOptions.MaxAgeOf"/> it answers from the store; past it — or for a Patient searched by an
/// identifier of <see cref="StoreConnectorOptions.PatientIdentifierSystem"/> that is not stored at all — it runs (or
/// joins) one extraction of that patient and answers when it ends, or pending after the request's <c>MaxWait</c>. When
/// the extraction fails, stored data is still served, flagged stale; with nothing stored the answer is
/// <see cref="ConnectorFailureKind.Unavailable"/>. Searches over several patients, Provenance, exports and the change
/// stream always serve what is stored.
/// </para>
/// <para>
/// Served resources carry the store's <c>meta.versionId</c> and <c>meta.lastUpdated</c> (when the content last
/// changed); searches include the Provenance of their matches (search mode include), which says how and when each was
/// read. Register it as a singleton (it holds the running extractions), e.g. with
/// <see cref="FhirApiServiceCollectionExtensions.AddStoreConnector"/>.
/// </para>
/// </remarks>
public sealed class StoreConnector : IClinicalConnector, IAsyncDisposable
{
    private const int ExportPageSize = 500;

    // Types outside the Patient compartment: they name no patient, so they are never refreshed on demand.
    private static readonly HashSet<string> NonCompartmentTypes = new(
        ["Provenance", "Practitioner", "PractitionerRole", "Organization", "Location", "Medication", "Device", "Endpoint", "HealthcareService"],
        StringComparer.Ordinal);

    // Types whose patient is in 'patient' only: R4 gives them no 'subject' search parameter.
    private static readonly HashSet<string> PatientOnlyTypes = new(["AllergyIntolerance", "Immunization", "Coverage"], StringComparer.Ordinal);

    private readonly SqliteSink _store;
    private readonly ResourceChangeFeed _feed;
    private readonly StoreConnectorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly PatientRefresher? _refresher;
    private readonly ConnectorCapabilities _capabilities;

    /// <summary>Creates the connector over <paramref name="store"/>, whose publishes <paramref name="feed"/> also receives.</summary>
    /// <param name="store">The local store playbook runs publish into.</param>
    /// <param name="feed">The change feed those runs publish into after the store (see <see cref="ResourceChangeFeed"/>).</param>
    /// <param name="options">Types served, freshness policy, extraction limits.</param>
    /// <param name="timeProvider">The clock for freshness and extraction timeouts; the store's clock, so their times compare.</param>
    /// <param name="extraction">
    /// Runs a playbook for one patient; null (or no <see cref="StoreConnectorOptions.PatientIdentifierSystem"/>) turns
    /// on-demand refresh off.
    /// </param>
    /// <param name="logger">Logs failed extractions (their PHI-free reasons).</param>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    public StoreConnector(
        SqliteSink store,
        ResourceChangeFeed feed,
        IOptions<StoreConnectorOptions> options,
        TimeProvider timeProvider,
        IPatientExtraction? extraction = null,
        ILogger<StoreConnector>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        var validation = new StoreConnectorOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(StoreConnectorOptions.SectionName, typeof(StoreConnectorOptions), validation.Failures);
        }

        _store = store;
        _feed = feed;
        _timeProvider = timeProvider;
        _refresher = extraction is not null && _options.PatientIdentifierSystem is not null
            ? new PatientRefresher(extraction, _options, timeProvider, (ILogger?)logger ?? NullLogger.Instance)
            : null;
        _capabilities = BuildCapabilities(_options, _refresher is not null);
    }

    /// <inheritdoc />
    public Task<ConnectorResult<ConnectorCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(ConnectorResult<ConnectorCapabilities>.Success(_capabilities));

    /// <inheritdoc />
    public async Task<ConnectorResult<ReadResult>> ReadAsync(ReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_capabilities.Find(request.ResourceType) is null)
        {
            return UnknownType<ReadResult>(request.ResourceType);
        }

        if (!FhirSyntax.IsId(request.Id) || await _store.GetAsync(request.ResourceType, request.Id, cancellationToken).ConfigureAwait(false) is null)
        {
            return ConnectorResult<ReadResult>.Fail(ConnectorFailureKind.NotFound, $"There is no {request.ResourceType} with that id.");
        }

        var patientId = request.ResourceType == "Patient"
            ? request.Id
            : (await _store.GetIndexValuesAsync(request.ResourceType, request.Id, StoreParameters.Patient, cancellationToken).ConfigureAwait(false))
                .Select(v => v.Value["Patient/".Length..]).FirstOrDefault();
        var refresh = patientId is null
            ? await ConfirmedAsync(request.ResourceType, request.ResourceType, request.Id, cancellationToken).ConfigureAwait(false)
            : await EnsureFreshAsync(request.ResourceType, new PatientScope(patientId), request.MaxWait, cancellationToken).ConfigureAwait(false);
        if (refresh.IsPending)
        {
            return refresh.As<ReadResult>();
        }

        if (!refresh.Ok)
        {
            // The resource is stored even though its patient could not be refreshed (or is not stored): serve it, saying how old it is.
            refresh = await ConfirmedAsync(request.ResourceType, request.ResourceType, request.Id, cancellationToken).ConfigureAwait(false);
        }

        var stored = await _store.GetAsync(request.ResourceType, request.Id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return ConnectorResult<ReadResult>.Fail(ConnectorFailureKind.NotFound, $"There is no {request.ResourceType} with that id.");
        }

        var resource = ToConnectorResource(stored);
        return new ReadResult(resource, refresh.Value!)
        {
            Provenance = await ProvenanceOfAsync([resource], cancellationToken).ConfigureAwait(false),
        };
    }

    /// <inheritdoc />
    public async Task<ConnectorResult<SearchPage>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Parameters);
        if (_capabilities.Find(request.ResourceType) is not { } capability)
        {
            return UnknownType<SearchPage>(request.ResourceType);
        }

        if (request.Count is < 0)
        {
            return ConnectorResult<SearchPage>.Fail(ConnectorFailureKind.InvalidParameter, "_count must be 0 or more.", "_count");
        }

        string? afterId = null;
        if (request.PageToken is not null && (afterId = DecodePageToken(request.PageToken)) is null)
        {
            return ConnectorResult<SearchPage>.Fail(ConnectorFailureKind.InvalidParameter, "The page token is not one this connector issued.", "_page_token");
        }

        var plan = StoreSearch.Plan(capability, request.Parameters);
        if (!plan.Ok)
        {
            return plan.As<SearchPage>();
        }

        var (query, scope) = plan.Value!;
        var freshness = new DataFreshness(DataOrigin.Store);
        ConnectorFailure? unavailable = null;
        // Later pages serve what the first page was refreshed to: refreshing between pages could shift them.
        if (scope is not null && afterId is null)
        {
            var refresh = await EnsureFreshAsync(request.ResourceType, scope, request.MaxWait, cancellationToken).ConfigureAwait(false);
            if (refresh.IsPending)
            {
                return refresh.As<SearchPage>();
            }

            unavailable = refresh.Failure is { Kind: ConnectorFailureKind.Unavailable } failure ? failure : null;
            freshness = refresh.Value ?? new DataFreshness(DataOrigin.Store) { IsStale = unavailable is not null };
        }

        var count = Math.Min(request.Count ?? _options.DefaultPageSize, _options.MaxPageSize);
        var total = (int)await _store.CountMatchesAsync(query, cancellationToken).ConfigureAwait(false);
        if (unavailable is not null && total == 0)
        {
            // Nothing stored and the EHR could not be asked: "no match" would be a wrong answer.
            return ConnectorResult<SearchPage>.Fail(unavailable);
        }
        if (count == 0)
        {
            return new SearchPage([], freshness) { Total = total };
        }

        var found = await _store.QueryAsync(query with { AfterId = afterId, Limit = count + 1 }, cancellationToken).ConfigureAwait(false);
        var matches = found.Take(count).Select(ToConnectorResource).ToList();
        return new SearchPage(matches, freshness)
        {
            Total = total,
            Included = request.ResourceType == "Provenance" ? [] : await ProvenanceOfAsync(matches, cancellationToken).ConfigureAwait(false),
            NextPageToken = found.Count > count ? EncodePageToken(matches[^1].Id) : null,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Types.FirstOrDefault(t => _capabilities.Find(t) is null) is { } unknown)
        {
            yield return UnknownType<ConnectorResource>(unknown);
            yield break;
        }

        if (request.Level == ExportLevel.Patient && request.Types.FirstOrDefault(t => !InCompartment(t)) is { } outside)
        {
            yield return ConnectorResult<ConnectorResource>.Fail(ConnectorFailureKind.InvalidParameter,
                $"{outside} is not in the Patient compartment; a Patient-level export cannot include it.", "_type");
            yield break;
        }

        var types = request.Types.Count > 0
            ? request.Types
            : [.. _options.ServedTypes.Where(t => request.Level == ExportLevel.System || InCompartment(t))];
        foreach (var type in types)
        {
            // _since is exclusive; the store keeps times to the tick.
            var query = new StoreQuery(type) { UpdatedFrom = request.Since?.AddTicks(1), Limit = ExportPageSize };
            while (true)
            {
                var page = await _store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
                foreach (var stored in page)
                {
                    yield return ToConnectorResource(stored);
                }

                if (page.Count < ExportPageSize)
                {
                    break;
                }

                query = query with { AfterId = page[^1].Id };
            }
        }
    }

    /// <inheritdoc />
    public Task<ConnectorResult<IChangeSubscription>> SubscribeAsync(ChangeFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Types.FirstOrDefault(t => _capabilities.Find(t) is null) is { } unknown)
        {
            return Task.FromResult(UnknownType<IChangeSubscription>(unknown));
        }

        var types = filter.Types.Count > 0 ? filter.Types : _options.ServedTypes;
        IChangeSubscription subscription = new StoreChangeSubscription(_feed.Subscribe(types), this);
        return Task.FromResult(ConnectorResult<IChangeSubscription>.Success(subscription));
    }

    /// <summary>Cancels running extractions and waits for them to end. Safe to call more than once.</summary>
    public ValueTask DisposeAsync() => _refresher?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>A stored resource with the store's version and time in its meta.</summary>
    internal static ConnectorResource ToConnectorResource(StoredResource stored)
    {
        var lastUpdated = stored.LastUpdated.ToUniversalTime();
        var version = stored.VersionId.ToString(CultureInfo.InvariantCulture);
        var json = stored.Json;
        if (JsonNode.Parse(json) is JsonObject root)
        {
            var meta = root["meta"] as JsonObject ?? [];
            meta["versionId"] = version;
            meta["lastUpdated"] = lastUpdated.ToString("O", CultureInfo.InvariantCulture);
            root["meta"] = meta;
            json = root.ToJsonString();
        }

        return new ConnectorResource(stored.ResourceType, stored.Id, json) { VersionId = version, LastUpdated = lastUpdated };
    }

    /// <summary>The stored resource, as a change: Created for version 1.</summary>
    internal async Task<ResourceChange> ToChangeAsync(PublishedResource published, CancellationToken cancellationToken)
    {
        var stored = await _store.GetAsync(published.ResourceType, published.Id, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? new ResourceChange(ChangeKind.Updated, new ConnectorResource(published.ResourceType, published.Id, published.Json))
            : new ResourceChange(stored.VersionId == 1 ? ChangeKind.Created : ChangeKind.Updated, ToConnectorResource(stored));
    }

    private bool InCompartment(string type) => !NonCompartmentTypes.Contains(type);

    /// <summary>How fresh a resource that names no patient is: when the source last confirmed it, against its type's policy.</summary>
    private async Task<ConnectorResult<DataFreshness>> ConfirmedAsync(string policyType, string type, string id, CancellationToken cancellationToken)
    {
        var confirmed = await _store.GetLastPublishedAsync(type, id, cancellationToken).ConfigureAwait(false);
        return new DataFreshness(DataOrigin.Store) { RetrievedAt = confirmed, IsStale = confirmed is null || IsOld(confirmed.Value, policyType) };
    }

    /// <summary>
    /// Makes sure the data of the patient <paramref name="scope"/> names is fresh enough for <paramref name="type"/>:
    /// served from the store, refreshed, stale (refresh failed, data kept), pending, NotFound (the patient is neither
    /// stored nor in the EHR) or Unavailable (nothing stored and the refresh failed).
    /// </summary>
    private async Task<ConnectorResult<DataFreshness>> EnsureFreshAsync(string type, PatientScope scope, TimeSpan? maxWait, CancellationToken cancellationToken)
    {
        var patientId = scope.PatientId ?? await PatientByIdentifierAsync(scope, cancellationToken).ConfigureAwait(false);
        var confirmed = patientId is null ? null : await _store.GetLastPublishedAsync("Patient", patientId, cancellationToken).ConfigureAwait(false);
        if (confirmed is { } at && !IsOld(at, type))
        {
            return new DataFreshness(DataOrigin.Store) { RetrievedAt = at };
        }

        var identifier = scope.IdentifierValue is not null && (scope.IdentifierSystem is null || scope.IdentifierSystem == _options.PatientIdentifierSystem)
            ? scope.IdentifierValue
            : patientId is null ? null : await IdentifierOfAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (_refresher is null || identifier is null)
        {
            // Nothing can be asked of the source: serve what there is, saying how old it is.
            return confirmed is null
                ? ConnectorResult<DataFreshness>.Fail(ConnectorFailureKind.NotFound, "The patient is not stored.")
                : new DataFreshness(DataOrigin.Store) { RetrievedAt = confirmed, IsStale = true };
        }

        var attempt = _refresher.GetOrStart(identifier);
        var result = await _refresher.WaitAsync(attempt, maxWait, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return ConnectorResult<DataFreshness>.Pending();
        }

        patientId ??= await PatientByIdentifierAsync(scope, cancellationToken).ConfigureAwait(false);
        confirmed = patientId is null ? null : await _store.GetLastPublishedAsync("Patient", patientId, cancellationToken).ConfigureAwait(false);
        if (confirmed is { } now && !IsOld(now, type))
        {
            return new DataFreshness(now >= attempt.StartedAt ? DataOrigin.Refreshed : DataOrigin.Store) { RetrievedAt = now };
        }

        if (confirmed is not null)
        {
            return new DataFreshness(DataOrigin.Store) { RetrievedAt = confirmed, IsStale = true };
        }

        return result.Status == PatientExtractionStatus.Failed
            ? ConnectorResult<DataFreshness>.Fail(ConnectorFailureKind.Unavailable, "The patient is not stored and the EHR could not be read just now.")
            : ConnectorResult<DataFreshness>.Fail(ConnectorFailureKind.NotFound, "The EHR has no such patient.");
    }

    private bool IsOld(DateTimeOffset confirmed, string type) => _timeProvider.GetUtcNow() - confirmed > _options.MaxAgeOf(type);

    private async Task<string?> PatientByIdentifierAsync(PatientScope scope, CancellationToken cancellationToken)
    {
        if (scope.IdentifierValue is null)
        {
            return null;
        }

        var patients = await _store.QueryAsync(new StoreQuery("Patient")
        {
            Conditions = [new StoreCondition(StoreParameters.Identifier, [StoreMatch.Exact(scope.IdentifierValue, scope.IdentifierSystem)])],
            Limit = 2,
        }, cancellationToken).ConfigureAwait(false);
        // Two patients share the identifier (no system given): it names neither, so neither is refreshed.
        return patients.Count == 1 ? patients[0].Id : null;
    }

    private async Task<string?> IdentifierOfAsync(string patientId, CancellationToken cancellationToken) =>
        (await _store.GetIndexValuesAsync("Patient", patientId, StoreParameters.Identifier, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(v => v.System == _options.PatientIdentifierSystem)?.Value;

    private async Task<IReadOnlyList<ConnectorResource>> ProvenanceOfAsync(IReadOnlyList<ConnectorResource> resources, CancellationToken cancellationToken)
    {
        if (resources.Count == 0 || _capabilities.Find("Provenance") is null)
        {
            return [];
        }

        var found = new List<ConnectorResource>();
        foreach (var chunk in resources.Select(r => r.Reference).Distinct(StringComparer.Ordinal).Chunk(200))
        {
            var query = new StoreQuery("Provenance")
            {
                Conditions = [new StoreCondition(StoreParameters.Target, [.. chunk.Select(r => StoreMatch.Exact(r))])],
                Limit = _options.MaxPageSize,
            };
            found.AddRange((await _store.QueryAsync(query, cancellationToken).ConfigureAwait(false)).Select(ToConnectorResource));
        }

        return [.. found.DistinctBy(p => p.Id)];
    }

    private static string EncodePageToken(string afterId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("after:" + afterId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodePageToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64 + new string('=', (4 - (base64.Length % 4)) % 4)));
            return text.StartsWith("after:", StringComparison.Ordinal) && FhirSyntax.IsId(text[6..]) ? text[6..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ConnectorResult<T> UnknownType<T>(string resourceType) =>
        ConnectorResult<T>.Fail(ConnectorFailureKind.UnknownResourceType,
            FhirSyntax.IsResourceType(resourceType) ? $"This worker does not serve {resourceType}." : "The resource type is not a FHIR resource type name.");

    private static ConnectorCapabilities BuildCapabilities(StoreConnectorOptions options, bool refreshOnDemand)
    {
        static SearchParameterCapability P(string name, SearchParameterType type) => new(name, type);
        var resources = options.ServedTypes.Select(type =>
        {
            var parameters = new List<SearchParameterCapability> { P("_id", SearchParameterType.Token), P("_lastUpdated", SearchParameterType.Date) };
            if (type == "Patient")
            {
                parameters.AddRange([P("identifier", SearchParameterType.Token), P("name", SearchParameterType.String),
                    P("family", SearchParameterType.String), P("given", SearchParameterType.String), P("birthdate", SearchParameterType.Date)]);
            }
            else if (type == "Provenance")
            {
                parameters.Add(P("target", SearchParameterType.Reference));
            }
            else
            {
                parameters.Add(P("identifier", SearchParameterType.Token));
                if (!NonCompartmentTypes.Contains(type))
                {
                    parameters.Add(P("patient", SearchParameterType.Reference));
                    if (!PatientOnlyTypes.Contains(type))
                    {
                        parameters.Add(P("subject", SearchParameterType.Reference));
                    }
                }
            }

            return new ResourceCapability(type)
            {
                SearchParameters = parameters,
                RevIncludes = type == "Provenance" || !options.ServedTypes.Contains("Provenance") ? [] : [StoreSearch.ProvenanceRevInclude],
                Freshness = new FreshnessPolicy(options.MaxAgeOf(type), refreshOnDemand && !NonCompartmentTypes.Contains(type)),
            };
        }).ToList();
        return new ConnectorCapabilities { Resources = resources, SystemExport = true, PatientExport = true, ChangeStream = true };
    }

    /// <summary>Changes from the feed, read back from the store so they carry the stored version.</summary>
    private sealed class StoreChangeSubscription(ResourceFeedSubscription subscription, StoreConnector connector) : IChangeSubscription
    {
        public async IAsyncEnumerable<ResourceChange> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var change in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return await connector.ToChangeAsync(change.Resource, cancellationToken).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync() => subscription.DisposeAsync();
    }
}
