using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RpaWorker.Connectors;
using RpaWorker.Host.FhirApi;
using RpaWorker.Host.Tests.FhirApi.Support;
using RpaWorker.Publishing;

namespace RpaWorker.Host.Tests.FhirApi;

/// <summary>What only the store connector does, and how the host registers it and the surface.</summary>
[Collection(SyntheaCollection.Name)]
public sealed class StoreConnectorTests(ImportedCharts synthea)
{
    [Fact]
    public async Task SubscribeAsync_SubscriberThatFallsBehind_StreamEndsInsteadOfBlockingPublishing()
    {
        await using var world = await StoreWorld.CreateAsync([], feedCapacity: 3);
        await using var subscription = FhirAssert.Ok(await world.Connector.SubscribeAsync(ChangeFilter.All, default));

        // A whole chart at once, nobody reading: publishing returns although the subscriber's buffer holds three.
        await world.PublishAsync(ImportedCharts.Batch(synthea.Charts[0], world.Clock.GetUtcNow())).WaitAsync(TimeSpan.FromSeconds(10));

        var delivered = new List<ResourceChange>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var change in subscription.ReadAllAsync(timeout.Token))
        {
            delivered.Add(change);
        }

        Assert.Equal(3, delivered.Count);
        Assert.Equal(0, world.Feed.SubscriberCount);
    }

    [Fact]
    public async Task ReadAsync_NoIdentifierSystemConfigured_ServesOldDataAsStaleWithoutExtraction()
    {
        await using var world = await StoreWorld.CreateAsync([synthea.Charts[0]], configure: o => o.PatientIdentifierSystem = null);
        world.Clock.Advance(TimeSpan.FromDays(2));

        var read = FhirAssert.Ok(await world.Connector.ReadAsync(new ReadRequest("Patient", synthea.Charts[0].PatientId), default));
        var capabilities = FhirAssert.Ok(await world.Connector.GetCapabilitiesAsync(default));

        Assert.True(read.Freshness.IsStale);
        Assert.Equal((DataOrigin.Store, world.Clock.GetUtcNow() - TimeSpan.FromDays(2)), (read.Freshness.Origin, read.Freshness.RetrievedAt));
        Assert.Equal(0, world.Extraction.Calls);
        Assert.False(capabilities.Find("Patient")!.Freshness.RefreshOnDemand);
    }

    [Fact]
    public async Task Constructor_InvalidOptions_ThrowsNamingEveryProblem()
    {
        await using var store = new SqliteSink(Path.Combine(Path.GetTempPath(), "rpa-host-" + Guid.NewGuid().ToString("N"), "local.db"));
        var options = new StoreConnectorOptions
        {
            ResourceTypes = ["Patient", "patient"],
            MaxAge = new() { ["Observation"] = TimeSpan.FromHours(-1) },
            PatientIdentifierSystem = "not a uri",
            ExtractionTimeout = TimeSpan.Zero,
        };

        var error = Assert.Throws<OptionsValidationException>(() =>
            new StoreConnector(store, new ResourceChangeFeed(), Options.Create(options), TimeProvider.System));

        Assert.Equal(4, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("'patient' is not a FHIR resource type name", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxAge:Observation must not be negative", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("PatientIdentifierSystem", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ExtractionTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddFhirApi_InvalidConfiguration_FailsAtStartNamingEachSetting()
    {
        var builder = CreateBuilder(new()
        {
            ["FhirApi:ExportRetention"] = "-00:10:00",
            ["FhirApi:MaxConcurrentExports"] = "0",
            ["FhirApi:PublicBaseUrl"] = "ftp://example.org/fhir",
        });
        builder.Services.AddFhirApi();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Equal(
            ["FhirApi:ExportRetention must be positive.", "FhirApi:MaxConcurrentExports must be at least 1.", "FhirApi:PublicBaseUrl must be an absolute http or https URL."],
            error.Failures);
    }

    [Fact]
    public async Task AddStoreConnector_FromConfiguration_ServesTheConfiguredTypesThroughMapFhirApi()
    {
        var folder = Directory.CreateTempSubdirectory("rpa-host-registration-").FullName;
        try
        {
            var builder = CreateBuilder(new()
            {
                ["FhirApi:ExportFolder"] = Path.Combine(folder, "exports"),
                ["FhirApi:Store:ResourceTypes:0"] = "Patient",
                ["FhirApi:Store:ResourceTypes:1"] = "Condition",
                ["FhirApi:Store:DefaultMaxAge"] = "2.00:00:00",
            });
            var store = new SqliteSink(Path.Combine(folder, "local.db"));
            await store.PublishAsync(ImportedCharts.Batch(synthea.Charts[0], TimeProvider.System.GetUtcNow()), default);
            builder.Services.AddSingleton(store);
            builder.Services.AddSingleton(new ResourceChangeFeed());
            builder.Services.AddFhirApi().AddStoreConnector();
            await using var app = builder.Build();
            app.MapFhirApi("/tenant-a/fhir");
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single() + "/tenant-a/fhir/") };

            var metadata = await HttpAssert.FhirJsonAsync(await http.GetAsync("metadata"), HttpStatusCode.OK);
            var patient = await http.GetAsync("Patient/" + synthea.Charts[0].PatientId);
            var observations = await http.GetAsync("Observation?patient=" + synthea.Charts[0].PatientId);

            var resources = metadata.GetProperty("rest")[0].GetProperty("resource").EnumerateArray().ToList();
            Assert.Equal(["Patient", "Condition"], resources.Select(r => r.GetProperty("type").GetString()));
            Assert.Equal(172800, resources[0].GetProperty("extension")[0].GetProperty("extension")[0].GetProperty("valueDuration").GetProperty("value").GetDecimal());
            await HttpAssert.FhirJsonAsync(patient, HttpStatusCode.OK);
            await HttpAssert.OutcomeAsync(observations, HttpStatusCode.NotFound, "not-supported");
            Assert.Same(app.Services.GetRequiredService<StoreConnector>(), app.Services.CreateScope().ServiceProvider.GetRequiredService<IClinicalConnector>());
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static WebApplicationBuilder CreateBuilder(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
