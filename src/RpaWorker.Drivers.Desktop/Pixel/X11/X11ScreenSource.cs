using System.Globalization;
using System.Text;
using RpaWorker.Vision.Imaging;
using static RpaWorker.Drivers.Desktop.Pixel.X11.X11Native;

namespace RpaWorker.Drivers.Desktop.Pixel.X11;

/// <summary>
/// Windows of an X display and their pictures. A window is captured as the part of the root window it covers
/// (XGetImage on the root, cropped to the window), which is what a person sees there; activation raises it first.
/// </summary>
internal sealed unsafe class X11ScreenSource(X11Display display) : IScreenSource
{
    // Deep enough for a window manager's frame around the client window, not so deep as to list every child widget.
    private const int MaxDepth = 3;
    private const int XaString = 31;
    private const int XaWmName = 39;

    public Task<IReadOnlyList<ScreenWindow>> ListWindowsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var windows = display.Run(d =>
        {
            var found = new List<ScreenWindow>();
            var netWmName = XInternAtom(d, "_NET_WM_NAME", 0);
            var utf8 = XInternAtom(d, "UTF8_STRING", 0);
            Walk(d, display.Root, 0, found, netWmName, utf8);
            return found;
        }, out _);
        return Task.FromResult<IReadOnlyList<ScreenWindow>>(windows);
    }

    private void Walk(nint d, ulong parent, int depth, List<ScreenWindow> found, ulong netWmName, ulong utf8)
    {
        if (XQueryTree(d, parent, out _, out _, out var children, out var count) == 0)
        {
            return;
        }
        try
        {
            for (var i = 0; i < count; i++)
            {
                var w = children[i];
                if (XGetWindowAttributes(d, w, out var a) == 0 || a.MapState != IsViewable || a.Width <= 1 || a.Height <= 1)
                {
                    continue;
                }
                var title = Title(d, w, netWmName, utf8);
                if (!string.IsNullOrWhiteSpace(title) && XTranslateCoordinates(d, w, display.Root, 0, 0, out var x, out var y, out _) != 0)
                {
                    found.Add(new ScreenWindow(Id(w), title, new PixelRect(x, y, a.Width, a.Height)));
                }
                else if (depth + 1 < MaxDepth)
                {
                    Walk(d, w, depth + 1, found, netWmName, utf8);
                }
            }
        }
        finally
        {
            XFree(children);
        }
    }

    private static string? Title(nint d, ulong w, ulong netWmName, ulong utf8) =>
        Property(d, w, netWmName, utf8, Encoding.UTF8) ?? Property(d, w, XaWmName, XaString, Encoding.Latin1);

    private static string? Property(nint d, ulong w, ulong property, ulong type, Encoding encoding)
    {
        if (XGetWindowProperty(d, w, property, 0, 1024, 0, type, out var actualType, out var format, out var items, out _, out var value) != 0)
        {
            return null;
        }
        try
        {
            return actualType == type && format == 8 && value is not null && items > 0
                ? encoding.GetString(value, (int)items)
                : null;
        }
        finally
        {
            if (value is not null)
            {
                XFree(value);
            }
        }
    }

    public Task<ScreenCapture?> CaptureAsync(ScreenWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        var capture = display.Run(d =>
        {
            var w = Parse(window.Id);
            if (XGetWindowAttributes(d, w, out var a) == 0 || a.MapState != IsViewable ||
                XTranslateCoordinates(d, w, display.Root, 0, 0, out var x, out var y, out _) == 0 ||
                XGetWindowAttributes(d, display.Root, out var root) == 0)
            {
                return null;
            }
            var visible = new PixelRect(x, y, a.Width, a.Height).Intersect(new PixelRect(0, 0, root.Width, root.Height));
            if (visible.IsEmpty)
            {
                return null;
            }
            var image = XGetImage(d, display.Root, visible.X, visible.Y, (uint)visible.Width, (uint)visible.Height, AllPlanes, ZPixmap);
            if (image is null)
            {
                return null;
            }
            try
            {
                return new ScreenCapture(ToScreenImage(image), visible);
            }
            finally
            {
                image->DestroyImage(image);
            }
        }, out _);
        return Task.FromResult(capture);
    }

    private static ScreenImage ToScreenImage(XImage* image)
    {
        var width = image->Width;
        var height = image->Height;
        var pixels = new byte[width * height * ScreenImage.BytesPerPixel];
        if (image->BitsPerPixel == 32 && image->ByteOrder == LsbFirst && image->RedMask == 0xFF0000 && image->GreenMask == 0xFF00 && image->BlueMask == 0xFF)
        {
            for (var y = 0; y < height; y++)
            {
                new ReadOnlySpan<byte>(image->Data + (long)y * image->BytesPerLine, width * 4).CopyTo(pixels.AsSpan(y * width * 4));
            }
            return new ScreenImage(width, height, pixels);
        }
        if (image->BitsPerPixel is not (16 or 24 or 32))
        {
            throw new DisplayUnavailableException($"The X display uses {image->BitsPerPixel} bits per pixel; the pixel driver reads 16, 24 and 32.");
        }
        // Any other true-colour layout: read each pixel and spread its masked channels to 8 bits.
        var bytesPerPixel = image->BitsPerPixel / 8;
        for (var y = 0; y < height; y++)
        {
            var row = image->Data + (long)y * image->BytesPerLine;
            for (var x = 0; x < width; x++)
            {
                ulong value = 0;
                for (var b = 0; b < bytesPerPixel; b++)
                {
                    var shift = image->ByteOrder == LsbFirst ? 8 * b : 8 * (bytesPerPixel - 1 - b);
                    value |= (ulong)row[x * bytesPerPixel + b] << shift;
                }
                var o = (y * width + x) * 4;
                pixels[o] = Channel(value, image->BlueMask);
                pixels[o + 1] = Channel(value, image->GreenMask);
                pixels[o + 2] = Channel(value, image->RedMask);
            }
        }
        return new ScreenImage(width, height, pixels);
    }

    private static byte Channel(ulong value, ulong mask)
    {
        if (mask == 0)
        {
            return 0;
        }
        var shift = System.Numerics.BitOperations.TrailingZeroCount(mask);
        var max = mask >> shift;
        return (byte)(((value & mask) >> shift) * 255 / max);
    }

    public Task<bool> ActivateAsync(ScreenWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        var ok = display.Run(d =>
        {
            var w = Parse(window.Id);
            if (XGetWindowAttributes(d, w, out var a) == 0 || a.MapState != IsViewable)
            {
                return false;
            }
            XRaiseWindow(d, w);
            XSetInputFocus(d, w, RevertToParent, CurrentTime);
            return true;
        }, out var error);
        return Task.FromResult(ok && error == 0);
    }

    public Task<bool> ResizeAsync(ScreenWindow window, int width, int height, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        cancellationToken.ThrowIfCancellationRequested();
        var ok = display.Run(d =>
        {
            var w = Parse(window.Id);
            if (XGetWindowAttributes(d, w, out var a) == 0 || a.MapState != IsViewable || XGetWindowAttributes(d, display.Root, out var root) == 0 ||
                XTranslateCoordinates(d, w, display.Root, 0, 0, out var x, out var y, out _) == 0)
            {
                return false;
            }
            // Larger than the screen, or sticking out of it, would leave part of it out of the capture, which is what the
            // size is for: it is clamped to the screen and moved to its corner when it would stick out.
            var (wide, high) = (Math.Min(width, root.Width), Math.Min(height, root.Height));
            if (x < 0 || y < 0 || x + wide > root.Width || y + high > root.Height)
            {
                XMoveResizeWindow(d, w, 0, 0, (uint)wide, (uint)high);
            }
            else
            {
                XResizeWindow(d, w, (uint)wide, (uint)high);
            }
            return true;
        }, out var error);
        return Task.FromResult(ok && error == 0);
    }

    internal static string Id(ulong window) => "0x" + window.ToString("x", CultureInfo.InvariantCulture);

    internal static ulong Parse(string id) =>
        id.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(id.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
}
