namespace RpaWorker.Publishing;

/// <summary>
/// Publishes every batch to several sinks in order (for example NDJSON files and the local store), and owns them.
/// </summary>
/// <remarks>
/// A failing sink stops the batch there and its exception propagates; because every sink is idempotent, publishing
/// the batch again brings all of them to the same state.
/// </remarks>
public sealed class CompositeSink : IResourceSink
{
    private readonly IResourceSink[] _sinks;

    /// <summary>Creates a sink that publishes to <paramref name="sinks"/>, in this order.</summary>
    public CompositeSink(params IResourceSink[] sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = [.. sinks];
        Name = string.Join('+', _sinks.Select(s => s.Name));
    }

    /// <summary>The inner sinks' names joined with '+', e.g. <c>ndjson+sqlite</c>.</summary>
    public string Name { get; }

    /// <summary>The inner sinks, in publishing order.</summary>
    public IReadOnlyList<IResourceSink> Sinks => _sinks;

    /// <inheritdoc />
    public async Task PublishAsync(IReadOnlyList<PublishedResource> batch, CancellationToken cancellationToken)
    {
        foreach (var sink in _sinks)
        {
            await sink.PublishAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes every inner sink, even when one of them throws.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Exception>? errors = null;
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("One or more sinks failed to close.", errors);
        }
    }
}
