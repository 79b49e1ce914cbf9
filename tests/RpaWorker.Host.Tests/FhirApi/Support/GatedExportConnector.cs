using System.Runtime.CompilerServices;
using RpaWorker.Connectors;

namespace RpaWorker.Host.Tests.FhirApi.Support;

/// <summary>A connector whose exports stop after <paramref name="pauseAfter"/> resources until <see cref="Release"/> is called.</summary>
internal sealed class GatedExportConnector(IClinicalConnector inner, int pauseAfter) : IClinicalConnector
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when an export has reached the pause.</summary>
    public Task Paused => _paused.Task;

    public void Release() => _gate.TrySetResult();

    public Task<ConnectorResult<ConnectorCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken) => inner.GetCapabilitiesAsync(cancellationToken);

    public Task<ConnectorResult<ReadResult>> ReadAsync(ReadRequest request, CancellationToken cancellationToken) => inner.ReadAsync(request, cancellationToken);

    public Task<ConnectorResult<SearchPage>> SearchAsync(SearchRequest request, CancellationToken cancellationToken) => inner.SearchAsync(request, cancellationToken);

    public Task<ConnectorResult<IChangeSubscription>> SubscribeAsync(ChangeFilter filter, CancellationToken cancellationToken) => inner.SubscribeAsync(filter, cancellationToken);

    public async IAsyncEnumerable<ConnectorResult<ConnectorResource>> ExportAsync(ExportRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var item in inner.ExportAsync(request, cancellationToken))
        {
            if (count++ == pauseAfter)
            {
                _paused.TrySetResult();
                await _gate.Task.WaitAsync(cancellationToken);
            }

            yield return item;
        }
    }
}
