namespace RpaWorker.Publishing;

/// <summary>How <see cref="FhirServerSink"/> retries and times out.</summary>
public sealed class FhirServerSinkOptions
{
    /// <summary>Attempts per batch, the first included (at least 1). Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// Median delay before the first retry; later retries double it, with jitter. A <c>Retry-After</c> header from the
    /// server replaces the computed delay. Default 1 second.
    /// </summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts, whether computed or asked for by <c>Retry-After</c>. Default 2 minutes.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Timeout of one request, response body included; a timed-out attempt is retried. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
