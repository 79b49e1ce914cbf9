using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;
using RpaWorker.Host.Configuration;
using RpaWorker.Host.Runs;
using RpaWorker.Host.Security;

namespace RpaWorker.Host.FhirApi;

/// <summary>
/// One <see cref="StoreConnector"/> per tenant, over the tenant's resource store and change feed, refreshing stale
/// patients by running the tenant's EHR playbook for that one patient. The connectors live as long as the worker.
/// </summary>
public sealed class TenantConnectors(
    TenantStores stores,
    RunService runs,
    RunStore runStore,
    IOptions<StoreConnectorOptions> shared,
    IOptionsMonitor<EhrCatalogOptions> ehrs,
    TimeProvider time,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<StoreConnector>> _connectors = new(StringComparer.Ordinal);

    /// <summary>The tenant's connector.</summary>
    public StoreConnector For(string tenant) => _connectors.GetOrAdd(tenant, t => new Lazy<StoreConnector>(() => Create(t))).Value;

    private StoreConnector Create(string tenant)
    {
        // On-demand refresh reads the tenant's EHR; with several, the first by name that says its identifier system.
        var ehr = ehrs.CurrentValue.Ehrs.Where(e => e.Value.Tenant == tenant && e.Value.PatientIdentifierSystem is not null)
            .OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (Name: e.Key, Options: e.Value)).FirstOrDefault();
        var options = new StoreConnectorOptions
        {
            ResourceTypes = shared.Value.ResourceTypes,
            DefaultMaxAge = shared.Value.DefaultMaxAge,
            MaxAge = new Dictionary<string, TimeSpan>(shared.Value.MaxAge, StringComparer.Ordinal),
            PatientIdentifierSystem = ehr.Name is null ? null : ehr.Options.PatientIdentifierSystem,
            DefaultPageSize = shared.Value.DefaultPageSize,
            MaxPageSize = shared.Value.MaxPageSize,
            ExtractionTimeout = shared.Value.ExtractionTimeout,
            MinExtractionInterval = shared.Value.MinExtractionInterval,
        };
        IPatientExtraction? extraction = ehr.Name is null ? null : new RunPatientExtraction(tenant, ehr.Name, runs, runStore, time);
        return new StoreConnector(stores.Store(tenant), stores.Feed(tenant), Options.Create(options), time, extraction, loggers.CreateLogger<StoreConnector>());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var connector in _connectors.Values.Where(c => c.IsValueCreated))
        {
            await connector.Value.DisposeAsync();
        }
    }
}

/// <summary>
/// The caller's tenant's connector, for one request. It only forwards: the tenant's connector outlives the request
/// (an export it starts keeps running), so this wrapper owns nothing a request scope could dispose.
/// </summary>
internal sealed class CallerConnector(IHttpContextAccessor http, TenantConnectors connectors) : IClinicalConnector
{
    private IClinicalConnector Inner => connectors.For((http.HttpContext is { } context ? Tenancy.TenantOf(context) : null)
        ?? throw new InvalidOperationException("the FHIR API was reached without a tenant"));

    public Task<ConnectorResult<ConnectorCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken) => Inner.GetCapabilitiesAsync(cancellationToken);

    public Task<ConnectorResult<ReadResult>> ReadAsync(ReadRequest request, CancellationToken cancellationToken) => Inner.ReadAsync(request, cancellationToken);

    public Task<ConnectorResult<SearchPage>> SearchAsync(SearchRequest request, CancellationToken cancellationToken) => Inner.SearchAsync(request, cancellationToken);

    public IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, CancellationToken cancellationToken) => Inner.ExportAsync(request, cancellationToken);

    public Task<ConnectorResult<IChangeSubscription>> SubscribeAsync(ChangeFilter filter, CancellationToken cancellationToken) => Inner.SubscribeAsync(filter, cancellationToken);
}

/// <summary>
/// Refreshes one patient for the FHIR API: a run of the tenant's EHR playbook with the patient's MRN as input, awaited
/// to its end. The run publishes into the tenant's store and feed like any other, and shows in the operator API.
/// </summary>
internal sealed class RunPatientExtraction(string tenant, string ehr, RunService runs, RunStore store, TimeProvider time) : IPatientExtraction
{
    public async Task<PatientExtractionResult> ExtractAsync(string patientIdentifierValue, CancellationToken cancellationToken)
    {
        var (run, refusal) = await runs.StartAsync(tenant, ehr, new Dictionary<string, string> { ["mrn"] = patientIdentifierValue }, "on-demand", 1, cancellationToken);
        if (refusal is not null)
        {
            return PatientExtractionResult.Failed(refusal.Message);
        }
        while (true)
        {
            var current = await store.GetRunAsync(run!.Id, cancellationToken);
            if (current?.Finished is not null)
            {
                var items = await store.ItemsAsync(run.Id, cancellationToken);
                return current.Status == RunStatus.Failed ? PatientExtractionResult.Failed(current.Reason ?? "the run failed")
                    : items.Any(i => i.Status == ItemStatus.Succeeded) ? PatientExtractionResult.Extracted
                    : items.Count == 0 ? PatientExtractionResult.NotFound
                    : PatientExtractionResult.Failed(items[0].Reason ?? "the patient could not be read");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
        }
    }
}
