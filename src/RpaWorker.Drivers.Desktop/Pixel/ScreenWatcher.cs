using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>What the screen did after an action.</summary>
/// <param name="Changed">It showed something else than before the action (in the region watched).</param>
/// <param name="Settled">It then stopped changing for the settle time.</param>
/// <param name="Capture">The last capture; null when the window went away.</param>
internal readonly record struct ScreenAfter(bool Changed, bool Settled, ScreenCapture? Capture);

/// <summary>
/// Watches a window after an action by capturing it repeatedly: first for a change from the capture taken before the
/// action, then until it has stayed the same for <see cref="PixelDriverOptions.SettleTime"/>. A blinking text cursor is
/// not a change.
/// </summary>
internal sealed class ScreenWatcher(IScreenSource source, PixelDriverOptions options)
{
    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>
    /// Waits up to <paramref name="changeTimeout"/> for the window (or <paramref name="region"/> of it) to differ from
    /// <paramref name="before"/> when <paramref name="expectChange"/>, then up to <paramref name="settleTimeout"/> more for
    /// it to settle.
    /// </summary>
    public async Task<ScreenAfter> AfterActionAsync(ScreenWindow window, ScreenCapture before, bool expectChange, PixelRect? region,
        TimeSpan changeTimeout, TimeSpan settleTimeout, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var current = await source.CaptureAsync(window, cancellationToken);
        var changed = current is not null && Differs(before, current, region);
        while (expectChange && !changed && current is not null && _time.GetElapsedTime(start) < changeTimeout)
        {
            await Task.Delay(options.PollInterval, _time, cancellationToken);
            current = await source.CaptureAsync(window, cancellationToken);
            changed = current is not null && Differs(before, current, region);
        }
        if (current is null)
        {
            return new ScreenAfter(changed, false, null);
        }
        var settled = await SettleAsync(window, current, settleTimeout, cancellationToken);
        if (settled.Capture is { } last && !changed)
        {
            changed = Differs(before, last, region);
        }
        return settled with { Changed = changed };
    }

    /// <summary>Captures until the window has not changed for the settle time, or <paramref name="timeout"/> passes.</summary>
    public async Task<ScreenAfter> SettleAsync(ScreenWindow window, ScreenCapture current, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var stableSince = _time.GetTimestamp();
        while (true)
        {
            if (_time.GetElapsedTime(stableSince) >= options.SettleTime)
            {
                return new ScreenAfter(false, true, current);
            }
            if (_time.GetElapsedTime(start) >= timeout)
            {
                return new ScreenAfter(false, false, current);
            }
            await Task.Delay(options.PollInterval, _time, cancellationToken);
            var next = await source.CaptureAsync(window, cancellationToken);
            if (next is null)
            {
                return new ScreenAfter(false, false, null);
            }
            if (Differs(current, next, null))
            {
                stableSince = _time.GetTimestamp();
            }
            current = next;
        }
    }

    /// <summary>Whether two captures differ by more than a text cursor (within <paramref name="region"/> when given).</summary>
    public bool Differs(ScreenCapture a, ScreenCapture b, PixelRect? region)
    {
        if (a.Bounds != b.Bounds)
        {
            return true;
        }
        var (count, box) = region is { } r && !r.Intersect(a.Image.Bounds).IsEmpty
            ? a.Image.Crop(r).Difference(b.Image.Crop(r))
            : a.Image.Difference(b.Image);
        return count > 0 && (box.Width > 3 || count > options.CaretPixels);
    }
}
