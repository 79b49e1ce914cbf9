using System.Collections.Concurrent;
using System.Diagnostics;
using RpaWorker.Vision.Imaging;

namespace RpaWorker.Vision.Ocr.Tesseract;

/// <summary>
/// A pool of <see cref="TesseractEngine"/>s: each is created (its model loaded) the first time every existing one is
/// busy, up to <see cref="TesseractOptions.MaxEngines"/>, and reused after that. Recognition runs on the thread pool.
/// </summary>
internal sealed class TesseractRecognizer(TesseractOptions options) : ITextRecognizer, IDisposable
{
    private readonly ConcurrentBag<TesseractEngine> _idle = [];
    private readonly ConcurrentQueue<TesseractEngine> _all = new();
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.MaxEngines));
    private int _disposed;

    /// <summary>How long each engine took to load its model, in creation order.</summary>
    public IReadOnlyList<TimeSpan> ModelLoadTimes => _all.Select(e => e.LoadTime).ToList();

    public async Task<OcrResult> RecognizeAsync(ScreenImage image, OcrRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() =>
            {
                var engine = _idle.TryTake(out var idle) ? idle : Create();
                try
                {
                    return Recognize(engine, image, request, cancellationToken);
                }
                finally
                {
                    _idle.Add(engine);
                }
            }, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    private TesseractEngine Create()
    {
        var engine = TesseractEngine.Load(options.DataPath, options.Language);
        _all.Enqueue(engine);
        return engine;
    }

    private OcrResult Recognize(TesseractEngine engine, ScreenImage image, OcrRequest request, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var region = (request.Region ?? image.Bounds).Intersect(image.Bounds);
        if (region.IsEmpty)
        {
            return new OcrResult([], Stopwatch.GetElapsedTime(start));
        }
        var prep = request.Preprocessing ?? options.Preprocessing;
        var (pixels, width, height, bytesPerPixel) = Prepare(region == image.Bounds ? image : image.Crop(region), prep);
        var words = engine.Recognize(pixels, width, height, bytesPerPixel, options.ScreenPpi * prep.Scale, request.Layout,
            request.AllowedCharacters, cancellationToken);
        var scale = prep.Scale;
        var mapped = words.Select(w => w with { Box = Unscale(w.Box, scale).Offset(region.X, region.Y) }).ToList();
        return new OcrResult(mapped, Stopwatch.GetElapsedTime(start));
    }

    private static PixelRect Unscale(PixelRect box, int scale) =>
        scale == 1 ? box : PixelRect.FromEdges(box.X / scale, box.Y / scale, (box.Right + scale - 1) / scale, (box.Bottom + scale - 1) / scale);

    internal static (byte[] Pixels, int Width, int Height, int BytesPerPixel) Prepare(ScreenImage image, OcrPreprocessing prep)
    {
        if (prep.Grayscale)
        {
            var gray = image.ToGray().Scale(prep.Scale, prep.Filter);
            if (prep.Binarize)
            {
                gray = gray.Binarize();
            }
            return (gray.Pixels.ToArray(), gray.Width, gray.Height, 1);
        }
        // Colour: each channel scaled on its own, then interleaved as RGB, the order Tesseract expects.
        var channels = new GrayImage[3];
        for (var c = 0; c < 3; c++)
        {
            var plane = new byte[image.Width * image.Height];
            var src = image.Pixels;
            for (var i = 0; i < plane.Length; i++)
            {
                plane[i] = src[i * ScreenImage.BytesPerPixel + 2 - c];
            }
            channels[c] = new GrayImage(image.Width, image.Height, plane).Scale(prep.Scale, prep.Filter);
        }
        var w = channels[0].Width;
        var h = channels[0].Height;
        var rgb = new byte[w * h * 3];
        for (var i = 0; i < w * h; i++)
        {
            rgb[i * 3] = channels[0].Pixels[i];
            rgb[i * 3 + 1] = channels[1].Pixels[i];
            rgb[i * 3 + 2] = channels[2].Pixels[i];
        }
        return (rgb, w, h, 3);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        while (_all.TryDequeue(out var engine))
        {
            engine.Dispose();
        }
        _slots.Dispose();
    }
}
