using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RpaWorker.Fhir;
using RpaWorker.Host.Configuration;
using RpaWorker.Host.Extraction;
using RpaWorker.Playbooks.Model;
using RpaWorker.Publishing;
using RpaWorker.Ui;

namespace RpaWorker.Host.Runs;

/// <summary>One browser per worker process, launched on first use and shared by every session (a context each).</summary>
public sealed class BrowserHolder : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IUiDriver? _driver;

    /// <summary>Whether the browser has been launched and is up.</summary>
    public bool Launched => _driver is not null;

    /// <summary>The browser, launched when needed.</summary>
    public async Task<IUiDriver> GetAsync(CancellationToken cancellationToken)
    {
        if (_driver is { } ready)
        {
            return ready;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _driver ??= await DriverFactory.CreateAsync(DriverKind.Web, null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_driver is { } driver)
        {
            await driver.DisposeAsync();
        }
        _gate.Dispose();
    }
}

/// <summary>
/// Each tenant's local resource store (SQLite, upsert by id) under DataDirectory/tenants/&lt;tenant&gt;: the data the
/// <c>/fhir</c> API serves. One instance per tenant per process, shared by every run of that tenant.
/// </summary>
public sealed class TenantStores(IOptions<WorkerOptions> options) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SqliteSink> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ResourceChangeFeed> _feeds = new(StringComparer.Ordinal);

    /// <summary>The tenant's folder (resources, quarantine, traces).</summary>
    public string Folder(string tenant) => Path.Combine(options.Value.DataDirectory, "tenants", Safe(tenant));

    /// <summary>The tenant's resource store.</summary>
    public SqliteSink Store(string tenant) => _stores.GetOrAdd(tenant, t =>
    {
        Directory.CreateDirectory(Folder(t));
        return new SqliteSink(Path.Combine(Folder(t), "resources.db"));
    });

    /// <summary>The tenant's change feed: what runs publish, after the store has it, for <c>/fhir/$events</c>.</summary>
    public ResourceChangeFeed Feed(string tenant) => _feeds.GetOrAdd(tenant, _ => new ResourceChangeFeed());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var feed in _feeds.Values)
        {
            await feed.DisposeAsync();
        }
        foreach (var store in _stores.Values)
        {
            await store.DisposeAsync();
        }
    }

    private static string Safe(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}

/// <summary>The US Core validator, loaded once per process (it takes seconds).</summary>
public sealed class ValidatorHolder(IOptions<WorkerOptions> options)
{
    private readonly Lazy<UsCoreValidator?> _validator = new(() =>
        UsCorePackage.Find(options.Value.UsCorePackage) is { } path ? new UsCoreValidator(path) : null);

    /// <summary>The validator, or null when the US Core package was not found.</summary>
    public UsCoreValidator? Validator => _validator.Value;
}

/// <summary>EHR credentials from the secret store configured for the worker.</summary>
public sealed class WorkerSecrets(IOptions<WorkerOptions> options)
{
    private readonly Lazy<SecretStore> _store = new(() => SecretStore.Create(options.Value.SecretsFile));

    /// <summary>The credentials named <paramref name="name"/>.</summary>
    /// <exception cref="SecretException">Missing or unreadable; the message names the variable to set, never a value.</exception>
    public IReadOnlyDictionary<string, string> Credentials(string name) => _store.Value.Credentials(name);
}
