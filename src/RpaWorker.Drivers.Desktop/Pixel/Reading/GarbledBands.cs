using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>
/// Finds the parts of a page reading that Tesseract's layout analysis garbled or skipped, and puts a reading of each
/// part on its own in their place.
/// </summary>
/// <remarks>
/// On a wide window with a lot of empty space, the page layout sometimes takes a band of the screen (a grey tab strip
/// under a coloured rule) for an image: it either "reads" it as a few words of nonsense several text lines tall at
/// confidence near 0, or leaves it out altogether. The real words there (the tab names) are then missing, and tall
/// nonsense boxes pull the next lines out of shape. Read alone, the same band reads cleanly: the layout analysis then
/// has nothing else to compare it with. A skipped band shows as dark ink (text is dark; rules and borders are light)
/// that no word covers.
/// </remarks>
internal static class GarbledBands
{
    // A word this unsure and this much taller than the page's text is not text.
    private const double GarbageConfidence = 0.3;
    private const double GarbageHeight = 2.0;
    private const int Margin = 3;
    // Ink: darker than this grey. Text on these screens is near black; rules, borders and selection tints are lighter.
    private const byte Dark = 100;
    // A row needs this many uncovered dark pixels to count, and a band this many in all: a glyph or two, not dust.
    private const int RowInk = 3;
    private const int BandInk = 40;
    private const int MaxBands = 4;
    // A selection bar's background: darker than this grey (the mock's blue is about 120), lighter than text.
    private const byte BarGrey = 170;

    /// <summary>The horizontal bands (whole image width) to read again; empty when the reading looks sound.</summary>
    public static IReadOnlyList<PixelRect> Find(IReadOnlyList<OcrWord> words, GrayImage image)
    {
        var (imageWidth, imageHeight) = (image.Width, image.Height);
        var heights = words.Select(w => w.Box.Height).Order().ToList();
        var typical = heights.Count == 0 ? 12 : Math.Max(6, heights[heights.Count / 2]);
        var spans = words.Where(w => w.Confidence < GarbageConfidence && w.Box.Height > typical * GarbageHeight)
            .Select(g => (g.Box.Y, g.Box.Bottom)).Concat(UncoveredInk(words, image, typical)).Concat(UnreadBars(words, image, typical)).ToList();
        if (spans.Count == 0)
        {
            return [];
        }
        var bands = new List<(int Top, int Bottom)>();
        foreach (var (top, bottom) in spans.OrderBy(g => g.Item1))
        {
            if (bands.Count > 0 && top <= bands[^1].Bottom)
            {
                bands[^1] = (bands[^1].Top, Math.Max(bands[^1].Bottom, bottom));
            }
            else
            {
                bands.Add((top, bottom));
            }
        }
        var result = new List<PixelRect>();
        foreach (var (top0, bottom0) in bands)
        {
            // Grow the band over every sound word it cuts through, so none is read in halves.
            var (top, bottom) = (top0, bottom0);
            bool grew;
            do
            {
                grew = false;
                foreach (var w in words)
                {
                    if (w.Box.Height <= typical * GarbageHeight && w.Box.Bottom > top && w.Box.Y < bottom && (w.Box.Y < top || w.Box.Bottom > bottom))
                    {
                        (top, bottom) = (Math.Min(top, w.Box.Y), Math.Max(bottom, w.Box.Bottom));
                        grew = true;
                    }
                }
            }
            while (grew);
            var band = PixelRect.FromEdges(0, Math.Max(0, top - Margin), imageWidth, Math.Min(imageHeight, bottom + Margin));
            if (result.Count > 0 && band.Y <= result[^1].Bottom)
            {
                result[^1] = result[^1].Union(band);
            }
            else
            {
                result.Add(band);
            }
        }
        return result.Take(MaxBands).ToList();
    }

    /// <summary>
    /// Row spans across most of the window on a dark background (a list's selected row: light text on a coloured bar)
    /// with no word read in them: the page reading skips light-on-dark text it would read in a band of its own.
    /// </summary>
    private static List<(int Top, int Bottom)> UnreadBars(IReadOnlyList<OcrWord> words, GrayImage image, int typical)
    {
        var (width, height) = (image.Width, image.Height);
        var pixels = image.Pixels;
        var spans = new List<(int Top, int Bottom)>();
        var top = -1;
        for (var y = 0; y <= height; y++)
        {
            var bar = false;
            if (y < height)
            {
                var dark = 0;
                for (int x = 0, i = y * width; x < width; x++, i++)
                {
                    if (pixels[i] < BarGrey)
                    {
                        dark++;
                    }
                }
                bar = dark > width / 2;
            }
            if (bar)
            {
                top = top < 0 ? y : top;
            }
            else if (top >= 0)
            {
                var span = PixelRect.FromEdges(0, top, width, y);
                if (y - top >= 8 && y - top <= typical * 4 && !words.Any(w => span.Contains(w.Box.CenterX, w.Box.CenterY)))
                {
                    spans.Add((top, y));
                }
                top = -1;
            }
        }
        return spans;
    }

    /// <summary>Row spans holding dark ink that no word's box covers: text the page reading left out.</summary>
    private static List<(int Top, int Bottom)> UncoveredInk(IReadOnlyList<OcrWord> words, GrayImage image, int typical)
    {
        var (width, height) = (image.Width, image.Height);
        var covered = new bool[width * height];
        foreach (var w in words)
        {
            var box = w.Box.Inflate(2, 2).Intersect(image.Bounds);
            for (var y = box.Y; y < box.Bottom; y++)
            {
                Array.Fill(covered, true, y * width + box.X, box.Width);
            }
        }
        var pixels = image.Pixels;
        var spans = new List<(int Top, int Bottom)>();
        int top = -1, ink = 0, quiet = 0;
        for (var y = 0; y <= height; y++)
        {
            var row = 0;
            if (y < height)
            {
                for (int x = 0, i = y * width; x < width; x++, i++)
                {
                    if (pixels[i] < Dark && !covered[i])
                    {
                        row++;
                    }
                }
            }
            if (row >= RowInk)
            {
                top = top < 0 ? y : top;
                ink += row;
                quiet = 0;
            }
            else if (top >= 0 && ++quiet > 1)
            {
                // A span of a text line's height with enough ink; taller spans are pictures, not text.
                var bottom = y - quiet + 1;
                if (ink >= BandInk && bottom - top <= typical * 4)
                {
                    spans.Add((top, bottom));
                }
                (top, ink, quiet) = (-1, 0, 0);
            }
        }
        return spans;
    }

    /// <summary>The page's words with those inside <paramref name="band"/> replaced by <paramref name="reread"/>'s.</summary>
    public static IReadOnlyList<OcrWord> Replace(IReadOnlyList<OcrWord> words, PixelRect band, IReadOnlyList<OcrWord> reread)
    {
        var kept = words.Where(w => !band.Contains(w.Box.CenterX, w.Box.CenterY)).ToList();
        var line = kept.Count == 0 ? 0 : kept.Max(w => w.Line) + 1;
        var firstLine = reread.Count == 0 ? 0 : reread.Min(w => w.Line);
        kept.AddRange(reread.Where(w => band.Contains(w.Box.CenterX, w.Box.CenterY)).Select(w => w with { Line = line + w.Line - firstLine }));
        return kept;
    }
}
