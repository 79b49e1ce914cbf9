using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RpaWorker.Drivers.Desktop.Pixel.X11;

/// <summary>The parts of Xlib (libX11.so.6) and the XTest extension (libXtst.so.6) the pixel driver uses.</summary>
internal static unsafe partial class X11Native
{
    public const string Xlib = "libX11.so.6";
    public const string XTest = "libXtst.so.6";

    public const int ZPixmap = 2;
    public const int LsbFirst = 0;
    public const int IsViewable = 2;
    public const int RevertToParent = 2;
    public const int PropModeReplace = 0;
    public const ulong AllPlanes = ulong.MaxValue;
    public const ulong CurrentTime = 0;
    public const ulong AnyPropertyType = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct XWindowAttributes
    {
        public int X, Y, Width, Height, BorderWidth, Depth;
        public nint Visual;
        public ulong Root;
        public int Class, BitGravity, WinGravity, BackingStore;
        public ulong BackingPlanes, BackingPixel;
        public int SaveUnder;
        public ulong Colormap;
        public int MapInstalled, MapState;
        public long AllEventMasks, YourEventMask, DoNotPropagateMask;
        public int OverrideRedirect;
        public nint Screen;
    }

    /// <summary>XImage up to its function table (destroy_image is the second entry).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XImage
    {
        public int Width, Height, XOffset, Format;
        public byte* Data;
        public int ByteOrder, BitmapUnit, BitmapBitOrder, BitmapPad, Depth, BytesPerLine, BitsPerPixel;
        public ulong RedMask, GreenMask, BlueMask;
        public nint ObData;
        public nint CreateImage;
        public delegate* unmanaged[Cdecl]<XImage*, int> DestroyImage;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct XErrorEvent
    {
        public int Type;
        public nint Display;
        public ulong ResourceId;
        public ulong Serial;
        public byte ErrorCode;
        public byte RequestCode;
        public byte MinorCode;
    }

    [LibraryImport(Xlib)]
    public static partial int XInitThreads();

    [LibraryImport(Xlib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint XOpenDisplay(string? name);

    [LibraryImport(Xlib)]
    public static partial int XCloseDisplay(nint display);

    [LibraryImport(Xlib)]
    public static partial ulong XDefaultRootWindow(nint display);

    [LibraryImport(Xlib)]
    public static partial int XDefaultScreen(nint display);

    [LibraryImport(Xlib)]
    public static partial int XQueryTree(nint display, ulong window, out ulong root, out ulong parent, out ulong* children, out uint count);

    [LibraryImport(Xlib)]
    public static partial int XGetWindowAttributes(nint display, ulong window, out XWindowAttributes attributes);

    [LibraryImport(Xlib)]
    public static partial int XTranslateCoordinates(nint display, ulong source, ulong destination, int x, int y, out int destX, out int destY, out ulong child);

    [LibraryImport(Xlib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ulong XInternAtom(nint display, string name, int onlyIfExists);

    [LibraryImport(Xlib)]
    public static partial int XGetWindowProperty(nint display, ulong window, ulong property, long offset, long length, int delete,
        ulong requestedType, out ulong actualType, out int actualFormat, out ulong itemCount, out ulong bytesAfter, out byte* value);

    [LibraryImport(Xlib)]
    public static partial XImage* XGetImage(nint display, ulong drawable, int x, int y, uint width, uint height, ulong planeMask, int format);

    [LibraryImport(Xlib)]
    public static partial int XRaiseWindow(nint display, ulong window);

    [LibraryImport(Xlib)]
    public static partial int XResizeWindow(nint display, ulong window, uint width, uint height);

    [LibraryImport(Xlib)]
    public static partial int XMoveResizeWindow(nint display, ulong window, int x, int y, uint width, uint height);

    [LibraryImport(Xlib)]
    public static partial int XSetInputFocus(nint display, ulong window, int revertTo, ulong time);

    [LibraryImport(Xlib)]
    public static partial int XSync(nint display, int discard);

    [LibraryImport(Xlib)]
    public static partial int XFlush(nint display);

    [LibraryImport(Xlib)]
    public static partial int XFree(void* data);

    [LibraryImport(Xlib)]
    public static partial nint XSetErrorHandler(delegate* unmanaged[Cdecl]<nint, XErrorEvent*, int> handler);

    [LibraryImport(Xlib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ulong XStringToKeysym(string name);

    [LibraryImport(Xlib)]
    public static partial byte XKeysymToKeycode(nint display, ulong keysym);

    [LibraryImport(Xlib)]
    public static partial ulong XkbKeycodeToKeysym(nint display, uint keycode, uint group, uint level);

    [LibraryImport(Xlib)]
    public static partial int XDisplayKeycodes(nint display, out int minKeycode, out int maxKeycode);

    [LibraryImport(Xlib)]
    public static partial ulong* XGetKeyboardMapping(nint display, byte firstKeycode, int count, out int keysymsPerKeycode);

    [LibraryImport(Xlib)]
    public static partial int XChangeKeyboardMapping(nint display, int firstKeycode, int keysymsPerKeycode, ulong* keysyms, int count);

    [LibraryImport(XTest)]
    public static partial int XTestQueryExtension(nint display, out int eventBase, out int errorBase, out int major, out int minor);

    [LibraryImport(XTest)]
    public static partial int XTestFakeMotionEvent(nint display, int screen, int x, int y, ulong delay);

    [LibraryImport(XTest)]
    public static partial int XTestFakeButtonEvent(nint display, uint button, int isPress, ulong delay);

    [LibraryImport(XTest)]
    public static partial int XTestFakeKeyEvent(nint display, uint keycode, int isPress, ulong delay);

    [ThreadStatic]
    private static int _lastError;

    /// <summary>
    /// Records protocol errors (a window that closed between two calls) instead of Xlib's default, which ends the
    /// process. Errors reach the thread that waits for the reply, so each thread sees its own.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int RecordError(nint display, XErrorEvent* error)
    {
        _lastError = error->ErrorCode;
        return 0;
    }

    /// <summary>The protocol error code recorded on this thread since the last call (0: none), and clears it.</summary>
    public static int TakeLastError()
    {
        var error = _lastError;
        _lastError = 0;
        return error;
    }
}
