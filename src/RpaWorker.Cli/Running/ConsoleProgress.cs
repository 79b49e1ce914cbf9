using System.Diagnostics;

namespace RpaWorker.Cli.Running;

/// <summary>
/// A progress line on standard error: work items done and failed, rate and ETA. On a terminal it redraws one line;
/// redirected, it writes a line every tenth of the run so logs stay short. It never shows patient data.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output, bool interactive)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private int _total;
    private int _done;
    private int _failed;
    private int _lastReported = -1;

    public void Planned(int total)
    {
        lock (_gate)
        {
            _total = total;
            Draw();
        }
    }

    public void Finished(bool failed)
    {
        lock (_gate)
        {
            _done++;
            _failed += failed ? 1 : 0;
            Draw();
        }
    }

    public void Complete()
    {
        if (interactive && _total > 0)
        {
            output.WriteLine();
        }
    }

    /// <summary>"12/25 patients, 1 failed, 6.0/min, ETA 2m10s".</summary>
    internal static string Line(int done, int total, int failed, TimeSpan elapsed)
    {
        var perMinute = elapsed.TotalMinutes > 0 ? done / elapsed.TotalMinutes : 0;
        var eta = perMinute > 0 && total > done ? TimeSpan.FromMinutes((total - done) / perMinute) : TimeSpan.Zero;
        var bar = total > 0 ? new string('#', done * 20 / total).PadRight(20, '.') : new string('.', 20);
        return $"[{bar}] {done}/{total} patients, {failed} failed, {perMinute:0.0}/min" + (total > done && perMinute > 0 ? $", ETA {Format(eta)}" : "");
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.Seconds}s";

    private void Draw()
    {
        var line = Line(_done, _total, _failed, _clock.Elapsed);
        if (interactive)
        {
            output.Write("\r" + line.PadRight(Console.IsErrorRedirected ? 0 : 78));
            return;
        }
        var step = Math.Max(1, _total / 10);
        if (_done == _total || _done / step != _lastReported)
        {
            _lastReported = _done / step;
            output.WriteLine(line);
        }
    }
}
