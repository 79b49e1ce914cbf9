using System.Diagnostics;
using System.Runtime.InteropServices;
using RpaWorker.Vision.Imaging;
using static RpaWorker.Vision.Ocr.Tesseract.TesseractApi;

namespace RpaWorker.Vision.Ocr.Tesseract;

/// <summary>
/// One TessBaseAPI with its language model loaded. Not thread-safe: one caller at a time (the pool in
/// <see cref="TesseractRecognizer"/> sees to it). Loading the model is the slow part, so engines live as long as the process.
/// </summary>
internal sealed unsafe class TesseractEngine : IDisposable
{
    private const string InstallHint = "install Debian's libtesseract5 and tesseract-ocr-eng (eng/setup.sh does)";

    private nint _api;

    private TesseractEngine(nint api, TimeSpan loadTime)
    {
        _api = api;
        LoadTime = loadTime;
    }

    /// <summary>How long creating the engine and loading its model took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>Creates an engine and loads <paramref name="language"/> from <paramref name="dataPath"/>.</summary>
    /// <exception cref="OcrUnavailableException">The library or the model is missing or does not load.</exception>
    public static TesseractEngine Load(string dataPath, string language)
    {
        var model = Path.Combine(dataPath, language + ".traineddata");
        if (!File.Exists(model))
        {
            throw new OcrUnavailableException($"The OCR model {model} does not exist: {InstallHint}, or set the data path to a folder holding it.");
        }
        var start = Stopwatch.GetTimestamp();
        nint api;
        try
        {
            api = TessBaseAPICreate();
        }
        catch (DllNotFoundException e)
        {
            throw new OcrUnavailableException($"{Library} could not be loaded: {InstallHint}.", e);
        }
        if (TessBaseAPIInit3(api, dataPath, language) != 0)
        {
            TessBaseAPIDelete(api);
            throw new OcrUnavailableException($"Tesseract could not load the model {model}: {InstallHint}.");
        }
        // Tesseract writes diagnostics to stderr; a worker's stderr is its log, which must stay readable.
        TessBaseAPISetVariable(api, "debug_file", "/dev/null");
        return new TesseractEngine(api, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>
    /// Recognises an 8-bit (1 byte per pixel, grey) or 24-bit (3, RGB) image and returns its words with boxes in the
    /// image's coordinates.
    /// </summary>
    public List<OcrWord> Recognize(ReadOnlySpan<byte> pixels, int width, int height, int bytesPerPixel, int ppi,
        OcrLayout layout, string? allowedCharacters, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_api == 0, this);
        var flag = (int*)NativeMemory.AllocZeroed(sizeof(int));
        var monitor = TessMonitorCreate();
        try
        {
            TessMonitorSetCancelFunc(monitor, &CancelWhenFlagged);
            TessMonitorSetCancelThis(monitor, (nint)flag);
            using var registration = cancellationToken.Register(() => Volatile.Write(ref *flag, 1));
            TessBaseAPISetPageSegMode(_api, layout switch
            {
                OcrLayout.Page => PsmAuto,
                OcrLayout.Block => PsmSingleBlock,
                OcrLayout.Line => PsmSingleLine,
                _ => PsmSparseText,
            });
            TessBaseAPISetVariable(_api, "tessedit_char_whitelist", allowedCharacters ?? "");
            fixed (byte* data = pixels)
            {
                TessBaseAPISetImage(_api, data, width, height, bytesPerPixel, width * bytesPerPixel);
                TessBaseAPISetSourceResolution(_api, ppi);
                var status = TessBaseAPIRecognize(_api, monitor);
                cancellationToken.ThrowIfCancellationRequested();
                return status == 0 ? ReadWords() : [];
            }
        }
        finally
        {
            // The registration is disposed (so the flag is no longer written) before the flag is freed.
            TessBaseAPIClear(_api);
            TessMonitorDelete(monitor);
            NativeMemory.Free(flag);
        }
    }

    private List<OcrWord> ReadWords()
    {
        var words = new List<OcrWord>();
        var iterator = TessBaseAPIGetIterator(_api);
        if (iterator == 0)
        {
            return words;
        }
        try
        {
            var page = TessResultIteratorGetPageIterator(iterator);
            var line = -1;
            do
            {
                if (TessPageIteratorIsAtBeginningOf(page, RilTextLine) != 0)
                {
                    line++;
                }
                var text = TakeText(TessResultIteratorGetUTF8Text(iterator, RilWord))?.Trim();
                if (string.IsNullOrEmpty(text) || TessPageIteratorBoundingBox(page, RilWord, out var l, out var t, out var r, out var b) == 0)
                {
                    continue;
                }
                var confidence = Math.Clamp(TessResultIteratorConfidence(iterator, RilWord) / 100.0, 0, 1);
                words.Add(new OcrWord(text, PixelRect.FromEdges(l, t, r, b), confidence, Math.Max(line, 0)));
            }
            while (TessResultIteratorNext(iterator, RilWord) != 0);
        }
        finally
        {
            TessResultIteratorDelete(iterator);
        }
        return words;
    }

    public void Dispose()
    {
        var api = Interlocked.Exchange(ref _api, 0);
        if (api != 0)
        {
            TessBaseAPIEnd(api);
            TessBaseAPIDelete(api);
        }
    }
}
