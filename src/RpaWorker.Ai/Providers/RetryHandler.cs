using System.Net;

namespace RpaWorker.Ai.Providers;

/// <summary>
/// Retries a provider call that was refused for load (HTTP 429), failed on the server (5xx) or lost its connection,
/// waiting what Retry-After asks for, else backing off exponentially. A Retry-After longer than the configured cap is
/// not waited out: the refusal comes back at once, because a run should not stall on one question.
/// </summary>
internal sealed class RetryHandler(int maxRetries, TimeSpan maxDelay, TimeProvider time) : DelegatingHandler
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The OpenAI client's request content is re-readable, so the same message can go out again.
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < maxRetries && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff(attempt), time, cancellationToken);
                continue;
            }
            if (attempt >= maxRetries || !IsTransient(response.StatusCode))
            {
                return response;
            }
            var delay = RetryAfter(response) ?? Backoff(attempt);
            if (delay > maxDelay)
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private TimeSpan Backoff(int attempt)
    {
        var delay = FirstBackoff * Math.Pow(2, attempt);
        return delay < maxDelay ? delay : maxDelay;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
