using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// A screen the pixel driver can only look at: its windows and their pictures. The X11 display is one source; a
/// Citrix or RDP client window, or a VNC framebuffer, is another, as long as it can list what it shows and capture it.
/// </summary>
public interface IScreenSource
{
    /// <summary>The windows shown now (mapped, with a title), bottom of the stacking order first.</summary>
    Task<IReadOnlyList<ScreenWindow>> ListWindowsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A picture of what the window shows now, cropped to it, and where on the screen that picture sits (the
    /// coordinates <see cref="IInputSink"/> takes). Null when the window is gone or no longer shown.
    /// </summary>
    Task<ScreenCapture?> CaptureAsync(ScreenWindow window, CancellationToken cancellationToken);

    /// <summary>Brings the window to the front and gives it the keyboard. False when the window is gone.</summary>
    Task<bool> ActivateAsync(ScreenWindow window, CancellationToken cancellationToken);

    /// <summary>
    /// Asks for the window to be <paramref name="width"/> by <paramref name="height"/> pixels (no larger than the
    /// screen), so that what a playbook reads is drawn. The application redraws in its own time: watch the captures.
    /// False when the window is gone or the source cannot resize windows (the default: saved screenshots, most remote
    /// frames).
    /// </summary>
    Task<bool> ResizeAsync(ScreenWindow window, int width, int height, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>A window on a screen source.</summary>
/// <param name="Id">The source's own handle for it (an X11 window id as 0x…).</param>
/// <param name="Title">Its title. Titles can show patient names: match on it, never log it.</param>
/// <param name="Bounds">Where it is on the screen.</param>
public sealed record ScreenWindow(string Id, string Title, PixelRect Bounds);

/// <summary>A picture of a window.</summary>
/// <param name="Image">What it shows. PHI: store only where configured.</param>
/// <param name="Bounds">Where the picture's top-left pixel is on the screen, and its size.</param>
public sealed record ScreenCapture(ScreenImage Image, PixelRect Bounds);

/// <summary>
/// Synthetic mouse and keyboard input, in screen coordinates. On X11 it goes to whatever is under the pointer or has
/// the keyboard focus, exactly as a person's input would.
/// </summary>
public interface IInputSink
{
    /// <summary>Moves the pointer.</summary>
    Task MoveAsync(int x, int y, CancellationToken cancellationToken);

    /// <summary>Moves the pointer and clicks the left button <paramref name="count"/> times (2: a double click).</summary>
    Task ClickAsync(int x, int y, int count, CancellationToken cancellationToken);

    /// <summary>Types text character by character. False (nothing typed) when a character cannot be typed.</summary>
    Task<bool> TypeAsync(string text, CancellationToken cancellationToken);

    /// <summary>
    /// Presses and releases a key, with modifiers held: "Enter", "Tab", "Escape", "Backspace", "ArrowDown",
    /// "Control+a", "Shift+Tab". False (nothing pressed) when a key name is not known.
    /// </summary>
    Task<bool> PressAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the pointer and turns the mouse wheel <paramref name="clicks"/> notches: down (content moves up) when
    /// positive, up when negative. False when this sink has no wheel (nothing done); the default.
    /// </summary>
    Task<bool> ScrollAsync(int x, int y, int clicks, CancellationToken cancellationToken) => Task.FromResult(false);
}
