using System.Collections.Concurrent;

namespace RpaWorker.Publishing.Tests.FhirServer;

/// <summary>
/// The system clock, except that timers shorter than <paramref name="instantBelow"/> fire at once and their due time is
/// recorded: retry waits cost nothing yet stay observable, while longer timers (the per-request timeout) run for real.
/// </summary>
internal sealed class InstantDelayTimeProvider(TimeSpan instantBelow) : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime > TimeSpan.Zero && dueTime < instantBelow)
        {
            Delays.Enqueue(dueTime);
            dueTime = TimeSpan.Zero;
        }

        return System.CreateTimer(callback, state, dueTime, period);
    }
}
