using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RpaWorker.Vision.Ocr.Tesseract;

/// <summary>The parts of Tesseract's C API (capi.h, libtesseract 5) the recognizer uses.</summary>
internal static unsafe partial class TesseractApi
{
    public const string Library = "libtesseract.so.5";

    // TessPageSegMode
    public const int PsmAuto = 3;
    public const int PsmSingleBlock = 6;
    public const int PsmSingleLine = 7;
    public const int PsmSparseText = 11;

    // TessPageIteratorLevel
    public const int RilTextLine = 2;
    public const int RilWord = 3;

    [LibraryImport(Library)]
    public static partial nint TessVersion();

    [LibraryImport(Library)]
    public static partial nint TessBaseAPICreate();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPIInit3(nint handle, string? dataPath, string language);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPISetVariable(nint handle, string name, string value);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetPageSegMode(nint handle, int mode);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetImage(nint handle, byte* imageData, int width, int height, int bytesPerPixel, int bytesPerLine);

    [LibraryImport(Library)]
    public static partial void TessBaseAPISetSourceResolution(nint handle, int ppi);

    [LibraryImport(Library)]
    public static partial int TessBaseAPIRecognize(nint handle, nint monitor);

    [LibraryImport(Library)]
    public static partial nint TessBaseAPIGetIterator(nint handle);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIClear(nint handle);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIEnd(nint handle);

    [LibraryImport(Library)]
    public static partial void TessBaseAPIDelete(nint handle);

    [LibraryImport(Library)]
    public static partial nint TessResultIteratorGetPageIterator(nint iterator);

    [LibraryImport(Library)]
    public static partial int TessResultIteratorNext(nint iterator, int level);

    [LibraryImport(Library)]
    public static partial nint TessResultIteratorGetUTF8Text(nint iterator, int level);

    [LibraryImport(Library)]
    public static partial float TessResultIteratorConfidence(nint iterator, int level);

    [LibraryImport(Library)]
    public static partial void TessResultIteratorDelete(nint iterator);

    [LibraryImport(Library)]
    public static partial int TessPageIteratorBoundingBox(nint iterator, int level, out int left, out int top, out int right, out int bottom);

    [LibraryImport(Library)]
    public static partial int TessPageIteratorIsAtBeginningOf(nint iterator, int level);

    [LibraryImport(Library)]
    public static partial void TessDeleteText(nint text);

    [LibraryImport(Library)]
    public static partial nint TessMonitorCreate();

    [LibraryImport(Library)]
    public static partial void TessMonitorDelete(nint monitor);

    [LibraryImport(Library)]
    public static partial void TessMonitorSetCancelFunc(nint monitor, delegate* unmanaged[Cdecl]<nint, int, byte> cancel);

    [LibraryImport(Library)]
    public static partial void TessMonitorSetCancelThis(nint monitor, nint cancelThis);

    /// <summary>Tesseract's cancel callback: stop when the int that <paramref name="flag"/> points at is not zero.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static byte CancelWhenFlagged(nint flag, int words) => Volatile.Read(ref *(int*)flag) != 0 ? (byte)1 : (byte)0;

    /// <summary>Reads and frees a string Tesseract allocated.</summary>
    public static string? TakeText(nint text)
    {
        if (text == 0)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            TessDeleteText(text);
        }
    }
}
