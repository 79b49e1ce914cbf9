using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RpaWorker.Connectors;
using RpaWorker.Fhir;
using RpaWorker.Host.FhirApi;

namespace RpaWorker.Host.Tests.FhirApi.Support;

/// <summary>
/// This worker's <c>/fhir</c> surface over a connector, in a WebApplication on 127.0.0.1 and a port Kestrel picks,
/// with the world's clock and export folder.
/// </summary>
internal sealed class FhirApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FhirApiServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The FHIR base URL, ending with a slash.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client whose BaseAddress is <see cref="BaseUrl"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the surface over <paramref name="connector"/> (the world's StoreConnector when null).</summary>
    public static async Task<FhirApiServer> StartAsync(StoreWorld world, Action<FhirApiOptions>? configure = null, IClinicalConnector? connector = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(world.Clock);
        builder.Services.AddFhirApi(options =>
        {
            options.ExportFolder = world.ExportFolder;
            options.ExportRetryAfter = TimeSpan.FromSeconds(1);
            configure?.Invoke(options);
        });
        // An instance registration: the container does not dispose what it did not create.
        builder.Services.AddSingleton(connector ?? world.Connector);
        var app = builder.Build();
        app.MapFhirApi();
        await app.StartAsync();
        // Kestrel replaces port 0 with the port it bound once started.
        return new FhirApiServer(app, new Uri(app.Urls.Single() + "/fhir/"));
    }

    /// <summary>A FhirApiConnector to this surface, with short polling waits.</summary>
    public FhirApiConnector CreateConnector(Action<FhirApiConnectorOptions>? configure = null)
    {
        var options = new FhirApiConnectorOptions
        {
            ExportPollInterval = TimeSpan.FromMilliseconds(50),
            ChangePollInterval = TimeSpan.FromMilliseconds(100),
            PendingRetryInterval = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return new FhirApiConnector(BaseUrl, Client, options, TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
