using Microsoft.AspNetCore.Http;

namespace RpaWorker.MockEhr.Web;

/// <summary>
/// The fault switches' dice. One seeded <see cref="Random"/> behind a lock, so a run with the same
/// <see cref="MockEhrOptions.FaultSeed"/> and the same request order meets the same faults.
/// </summary>
internal sealed class FaultDice(int seed)
{
    private readonly Random _random = seed != 0 ? new Random(seed) : new Random();
    private readonly Lock _lock = new();

    /// <summary>True with probability <paramref name="rate"/>; never for 0, always for 1.</summary>
    public bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }
        lock (_lock)
        {
            return _random.NextDouble() < rate;
        }
    }

    /// <summary>A uniform share of <paramref name="max"/>.</summary>
    public TimeSpan Jitter(TimeSpan max)
    {
        if (max <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }
        lock (_lock)
        {
            return max * _random.NextDouble();
        }
    }
}

/// <summary>Slow pages and server errors, applied to every page but the health probe.</summary>
internal static class FaultInjection
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next, MockEhrOptions options, FaultDice dice, TimeProvider time)
    {
        if (context.Request.Path.StartsWithSegments("/health"))
        {
            await next();
            return;
        }
        var delay = options.Latency + dice.Jitter(options.LatencyJitter);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, context.RequestAborted);
        }
        if (dice.Roll(options.ErrorRate))
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(ErrorPage, context.RequestAborted);
            return;
        }
        await next();
    }

    // Modelled on the yellow screen classic web stacks showed when custom errors were off.
    private const string ErrorPage = """
        <html><head><title>Runtime Error</title></head>
        <body bgcolor="white">
        <span><h1>Server Error in '/MedWeb' Application.<hr width="100%" size="1" color="silver"></h1>
        <h2><i>Runtime Error</i></h2></span>
        <font face="Arial, Helvetica, Geneva, SunSans-Regular, sans-serif">
        <b>Description:</b> An application error occurred on the server. The current custom error settings for this
        application prevent the details of the application error from being viewed remotely (for security reasons).
        <br><br><b>Details:</b> Error 0x80004005 while processing the request. Please contact your system administrator.
        </font>
        </body></html>
        """;
}
