using static RpaWorker.Drivers.Desktop.Pixel.X11.X11Native;

namespace RpaWorker.Drivers.Desktop.Pixel.X11;

/// <summary>
/// One connection to an X server, shared by the screen source and the input sink of a driver. Xlib connections are
/// not safe for concurrent use, so every call goes through <see cref="Run{T}"/>, one at a time.
/// </summary>
internal sealed unsafe class X11Display : IDisposable
{
    private static readonly Lazy<bool> ThreadsInitialised = new(() =>
    {
        // Must precede every other Xlib call in the process; without it two connections on two threads corrupt Xlib's state.
        XInitThreads();
        XSetErrorHandler(&RecordError);
        return true;
    });

    private readonly Lock _gate = new();
    private nint _handle;

    private X11Display(nint handle, string name)
    {
        _handle = handle;
        Name = name;
        Root = XDefaultRootWindow(handle);
        Screen = XDefaultScreen(handle);
    }

    /// <summary>The display name (":99").</summary>
    public string Name { get; }

    /// <summary>The root window.</summary>
    public ulong Root { get; }

    /// <summary>The default screen number.</summary>
    public int Screen { get; }

    /// <summary>Connects to <paramref name="name"/>, or to $DISPLAY when null, and checks that XTest is there.</summary>
    /// <exception cref="DisplayUnavailableException">No display is named, it does not answer, or it lacks XTest.</exception>
    public static X11Display Open(string? name)
    {
        var display = name ?? Environment.GetEnvironmentVariable("DISPLAY");
        if (string.IsNullOrEmpty(display))
        {
            throw new DisplayUnavailableException(
                "DISPLAY is not set: the pixel driver needs an X display. Run under Xvfb (xvfb-run -a ...) or set DISPLAY.");
        }
        nint handle;
        try
        {
            _ = ThreadsInitialised.Value;
            handle = XOpenDisplay(display);
        }
        catch (DllNotFoundException e)
        {
            throw new DisplayUnavailableException($"{Xlib} could not be loaded: install libx11-6 and libxtst6 (eng/setup.sh does).", e);
        }
        if (handle == 0)
        {
            throw new DisplayUnavailableException($"Cannot open X display {display}: is the X server (Xvfb) running and DISPLAY right?");
        }
        try
        {
            if (XTestQueryExtension(handle, out _, out _, out _, out _) == 0)
            {
                throw new DisplayUnavailableException($"X display {display} has no XTest extension: the pixel driver cannot send input to it.");
            }
        }
        catch (DllNotFoundException e)
        {
            XCloseDisplay(handle);
            throw new DisplayUnavailableException($"{XTest} could not be loaded: install libxtst6 (eng/setup.sh does).", e);
        }
        catch
        {
            XCloseDisplay(handle);
            throw;
        }
        return new X11Display(handle, display);
    }

    /// <summary>
    /// Runs Xlib calls on this connection, one caller at a time, and waits until the server has handled them.
    /// <paramref name="error"/> is the protocol error they caused (0: none), e.g. 3 (BadWindow) for a closed window.
    /// </summary>
    public T Run<T>(Func<nint, T> calls, out int error)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            TakeLastError();
            var result = calls(_handle);
            XSync(_handle, 0);
            error = TakeLastError();
            return result;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_handle != 0)
            {
                XCloseDisplay(_handle);
                _handle = 0;
            }
        }
    }
}
