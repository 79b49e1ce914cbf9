using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RpaWorker.MockEhr.Data;
using RpaWorker.MockEhr.Web;

namespace RpaWorker.MockEhr;

/// <summary>Starts the mock EHR web app.</summary>
public static class MockEhrServer
{
    /// <summary>
    /// Starts the web app on <paramref name="host"/>:<paramref name="port"/> (port 0 picks a free one)
    /// over <paramref name="store"/>. Dispose the result to stop it.
    /// </summary>
    /// <remarks>
    /// <paramref name="timeProvider"/> (default the system clock) drives session idleness, TOTP codes and
    /// injected latency; with a fake clock and <see cref="MockEhrOptions.Latency"/> set, pages wait until
    /// the fake clock is advanced. Only warnings and errors are logged.
    /// </remarks>
    public static async Task<RunningMockEhr> StartAsync(LegacyStore store, MockEhrOptions options, string host = "127.0.0.1", int port = 0,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(MockEhrServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            // Never "Development": that would swap the mock's own error pages for the developer exception page.
            EnvironmentName = "Production",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k =>
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                k.Listen(ip, port);
            }
            else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                k.ListenLocalhost(port);
            }
            else
            {
                k.ListenAnyIP(port);
            }
        });
        var app = builder.Build();
        new EhrSite(store, options, timeProvider ?? TimeProvider.System).Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The mock EHR started without a listening address.");
        return new RunningMockEhr(new Uri(address.TrimEnd('/') + "/"), async () =>
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        });
    }
}

/// <summary>A running mock EHR.</summary>
public sealed class RunningMockEhr : IAsyncDisposable
{
    private readonly Func<ValueTask> _stop;
    private int _disposed;

    internal RunningMockEhr(Uri baseAddress, Func<ValueTask> stop)
    {
        BaseAddress = baseAddress;
        _stop = stop;
    }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? _stop() : ValueTask.CompletedTask;
}
