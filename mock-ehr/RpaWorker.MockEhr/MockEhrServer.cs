using RpaWorker.MockEhr.Data;

namespace RpaWorker.MockEhr;

/// <summary>Starts the mock EHR web app.</summary>
public static class MockEhrServer
{
    /// <summary>
    /// Starts the web app on <paramref name="host"/>:<paramref name="port"/> (port 0 picks a free one)
    /// over <paramref name="store"/>. Dispose the result to stop it.
    /// </summary>
    public static Task<RunningMockEhr> StartAsync(LegacyStore store, MockEhrOptions options, string host = "127.0.0.1", int port = 0,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("placeholder: being written");
}

/// <summary>A running mock EHR.</summary>
public sealed class RunningMockEhr : IAsyncDisposable
{
    private readonly Func<ValueTask> _stop;

    internal RunningMockEhr(Uri baseAddress, Func<ValueTask> stop)
    {
        BaseAddress = baseAddress;
        _stop = stop;
    }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _stop();
}
