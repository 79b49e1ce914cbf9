using RpaWorker.Drivers.Desktop.Pixel;
using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Tests.Pixel.Support;

/// <summary>
/// Input for a few recorded screens of an application: a click inside a hotspot of the screen shown (a button, as the
/// recording has it drawn) shows the screen it leads to; any other click changes nothing, as on a real window where
/// the click hits nothing that reacts.
/// </summary>
public sealed class RecordedApp(ImageScreenSource source) : IInputSink
{
    private readonly List<(ScreenImage From, PixelRect Hotspot, ScreenImage To)> _links = [];

    public ScreenImage Shown { get; private set; } = null!;

    public List<string> Clicks { get; } = [];

    /// <summary>Shows <paramref name="screen"/> now.</summary>
    public void Show(ScreenImage screen)
    {
        Shown = screen;
        source.Show(screen);
    }

    /// <summary>A click inside <paramref name="hotspot"/> on <paramref name="from"/> shows <paramref name="to"/>.</summary>
    public RecordedApp Link(ScreenImage from, PixelRect hotspot, ScreenImage to)
    {
        _links.Add((from, hotspot, to));
        return this;
    }

    public Task ClickAsync(int x, int y, int count, CancellationToken cancellationToken)
    {
        Clicks.Add($"{x},{y}");
        if (_links.FirstOrDefault(l => ReferenceEquals(l.From, Shown) && l.Hotspot.Contains(x, y)) is { To: { } to })
        {
            Show(to);
        }
        return Task.CompletedTask;
    }

    public Task MoveAsync(int x, int y, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> TypeAsync(string text, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> PressAsync(string key, CancellationToken cancellationToken) => Task.FromResult(false);
}
