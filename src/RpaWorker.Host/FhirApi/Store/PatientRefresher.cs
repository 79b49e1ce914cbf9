using Microsoft.Extensions.Logging;

namespace RpaWorker.Host.FhirApi;

/// <summary>One on-demand extraction of a patient, running or ended.</summary>
internal sealed class ExtractionAttempt(DateTimeOffset startedAt, Task<PatientExtractionResult> run)
{
    public DateTimeOffset StartedAt { get; } = startedAt;

    public Task<PatientExtractionResult> Run { get; } = run;

    /// <summary>When it ended (by the connector's clock); null while it runs.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>
/// Runs on-demand extractions: at most one per identifier at a time (later requests join it), none within
/// <see cref="StoreConnectorOptions.MinExtractionInterval"/> of the previous one's end, each detached from the request
/// that started it and bounded by <see cref="StoreConnectorOptions.ExtractionTimeout"/>.
/// </summary>
internal sealed partial class PatientRefresher(IPatientExtraction extraction, StoreConnectorOptions options, TimeProvider timeProvider, ILogger logger)
    : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ExtractionAttempt> _attempts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private int _disposed;

    /// <summary>The extraction running for <paramref name="identifierValue"/>, else a recent ended one, else a new one.</summary>
    public ExtractionAttempt GetOrStart(string identifierValue)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            foreach (var old in _attempts.Where(a => a.Value.EndedAt is { } ended && now - ended >= options.MinExtractionInterval).Select(a => a.Key).ToList())
            {
                _attempts.Remove(old);
            }

            if (_attempts.TryGetValue(identifierValue, out var attempt))
            {
                return attempt;
            }

            var completion = new TaskCompletionSource<PatientExtractionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            attempt = new ExtractionAttempt(now, completion.Task);
            _attempts[identifierValue] = attempt;
            _ = Task.Run(() => RunAsync(identifierValue, attempt, completion));
            return attempt;
        }
    }

    /// <summary>
    /// Waits for <paramref name="attempt"/> up to <paramref name="maxWait"/> (null: until it ends; zero: not at all);
    /// null when it has not ended by then.
    /// </summary>
    public async Task<PatientExtractionResult?> WaitAsync(ExtractionAttempt attempt, TimeSpan? maxWait, CancellationToken cancellationToken)
    {
        if (attempt.Run.IsCompleted)
        {
            return await attempt.Run.ConfigureAwait(false);
        }

        if (maxWait is { } wait && wait <= TimeSpan.Zero)
        {
            return null;
        }

        try
        {
            return maxWait is { } limit
                ? await attempt.Run.WaitAsync(limit, timeProvider, cancellationToken).ConfigureAwait(false)
                : await attempt.Run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _attempts.Values.Select(a => a.Run)];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private async Task RunAsync(string identifierValue, ExtractionAttempt attempt, TaskCompletionSource<PatientExtractionResult> completion)
    {
        PatientExtractionResult result;
        using var timeout = new CancellationTokenSource(options.ExtractionTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _shutdown.Token);
        try
        {
            result = await extraction.ExtractAsync(identifierValue, linked.Token).ConfigureAwait(false)
                ?? PatientExtractionResult.Failed("The extraction returned no result.");
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            result = PatientExtractionResult.Failed(_shutdown.IsCancellationRequested ? "The worker is shutting down." : $"The extraction took longer than {options.ExtractionTimeout}.");
        }
        catch (Exception ex)
        {
            // The message of a foreign exception may carry screen content; its type says enough to start looking.
            result = PatientExtractionResult.Failed($"The extraction threw {ex.GetType().Name}.");
        }

        if (result.Status == PatientExtractionStatus.Failed)
        {
            LogExtractionFailed(logger, result.Reason ?? "no reason given");
        }

        lock (_gate)
        {
            attempt.EndedAt = timeProvider.GetUtcNow();
        }

        completion.SetResult(result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "On-demand patient extraction failed: {Reason}")]
    private static partial void LogExtractionFailed(ILogger logger, string reason);
}
