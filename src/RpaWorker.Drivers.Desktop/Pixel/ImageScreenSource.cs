using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// A screen known only from pictures: one window showing whatever image it was last given. For reading saved
/// screenshots offline (playbook tests against recorded screens), or for frames a remote-desktop client hands over.
/// </summary>
public sealed class ImageScreenSource : IScreenSource
{
    /// <summary>The id of its one window (address <c>x11:id=image</c>, or its title).</summary>
    public const string WindowId = "image";

    private volatile ScreenImage _image;

    /// <summary>A source whose window is called <paramref name="title"/> and shows <paramref name="image"/>.</summary>
    public ImageScreenSource(string title, ScreenImage image)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(image);
        Title = title;
        _image = image;
    }

    /// <summary>A source showing a saved PNG screenshot, titled with the file name unless given a title.</summary>
    /// <exception cref="InvalidDataException">The file is not a PNG this reader takes (see <see cref="Png.Decode"/>).</exception>
    public static ImageScreenSource FromPng(string path, string? title = null) =>
        new(title ?? Path.GetFileNameWithoutExtension(path), Png.Decode(File.ReadAllBytes(path)));

    /// <summary>The window's title.</summary>
    public string Title { get; }

    /// <summary>Makes the window show another picture (the next frame, the next recorded screen).</summary>
    public void Show(ScreenImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _image = image;
    }

    private ScreenWindow Window(ScreenImage image) => new(WindowId, Title, image.Bounds);

    /// <inheritdoc />
    public Task<IReadOnlyList<ScreenWindow>> ListWindowsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScreenWindow>>([Window(_image)]);

    /// <inheritdoc />
    public Task<ScreenCapture?> CaptureAsync(ScreenWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var image = _image;
        return Task.FromResult(window.Id == WindowId ? new ScreenCapture(image, image.Bounds) : null);
    }

    /// <inheritdoc />
    public Task<bool> ActivateAsync(ScreenWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Task.FromResult(window.Id == WindowId);
    }
}
