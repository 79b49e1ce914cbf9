using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>Checks of single glyphs that the recognizer's language model can talk itself out of.</summary>
internal static class Glyphs
{
    // Widest stroke of an "i" or "I" at screen sizes, in pixels.
    private const int MaxStemWidth = 3;

    /// <summary>
    /// Whether the first glyph drawn in <paramref name="image"/> (dark or light text on a plain background) is a stroke
    /// with a dot over it, as a lowercase "i" is. A capital "I" or an "l" is one unbroken stroke: the recognizer reads a
    /// capital "I" that starts a word ("Ibuprofen") as "i" when its word list has the word in lower case, and a reading
    /// that starts with an "i" whose glyph has no dot is not what the screen shows. Null when no glyph is found.
    /// </summary>
    public static bool? FirstIsDotted(ScreenImage image)
    {
        var gray = image.ToGray();
        if (InkOf(gray, gray.Bounds) is not { } Ink)
        {
            return null;
        }
        bool InkColumn(int x) => Enumerable.Range(0, gray.Height).Any(y => Ink(x, y));

        var first = Enumerable.Range(0, gray.Width).FirstOrDefault(InkColumn, -1);
        if (first < 0)
        {
            return null;
        }
        var last = first;
        while (last + 1 < gray.Width && last + 1 - first < MaxStemWidth && InkColumn(last + 1))
        {
            last++;
        }
        // The rows the stroke covers, top to bottom: a dot is a run of ink above a gap.
        var runs = 0;
        var inRun = false;
        for (var y = 0; y < gray.Height; y++)
        {
            var ink = false;
            for (var x = first; x <= last; x++)
            {
                ink |= Ink(x, y);
            }
            if (ink && !inRun)
            {
                runs++;
            }
            inRun = ink;
        }
        return runs >= 2;
    }

    // Letters whose two cases are mostly the same shape at two sizes: "mRNA" is read "MRNA" when the model expects capitals.
    private const string SizeOnly = "cmnosuvwxz";
    // Capitals and digits, to measure the word's capital height by (not tall small letters: their ascenders rise higher).
    private const string CapitalHeight = "ABDEFGHIKLPRTY0123456789";

    /// <summary>
    /// Whether one of <paramref name="word"/>'s letters is drawn in the other case than it was read in: a capital read
    /// where the glyph is only as tall as a small letter ("MRNA" for "mRNA"), or a small letter where it is as tall as a
    /// capital. Measured against the capitals, digits and tall small letters of the same word; false when the word has
    /// none, or when its glyphs touch (one blank column between each is needed to tell which glyph is which letter).
    /// </summary>
    public static bool CaseContradicted(GrayImage gray, OcrWord word)
    {
        var text = word.Text;
        var box = word.Box.Intersect(gray.Bounds);
        if (box.IsEmpty || text.Length < 2 || !text.Any(c => SizeOnly.Contains(char.ToLowerInvariant(c))))
        {
            return false;
        }
        if (InkOf(gray, box) is not { } Ink)
        {
            return false;
        }

        // Glyphs: runs of columns with ink, one per character of the reading or the word is not checked.
        var glyphs = new List<(int Top, int Bottom)>();
        var start = -1;
        for (var x = box.X; x <= box.Right; x++)
        {
            var ink = x < box.Right && Enumerable.Range(box.Y, box.Height).Any(y => Ink(x, y));
            if (ink && start < 0)
            {
                start = x;
            }
            else if (!ink && start >= 0)
            {
                var rows = Enumerable.Range(box.Y, box.Height).Where(y => Enumerable.Range(start, x - start).Any(xx => Ink(xx, y))).ToList();
                glyphs.Add((rows[0], rows[^1]));
                start = -1;
            }
        }
        if (glyphs.Count != text.Length)
        {
            return false;
        }
        var capitals = Enumerable.Range(0, text.Length).Where(i => CapitalHeight.Contains(text[i]))
            .Select(i => glyphs[i].Bottom - glyphs[i].Top + 1).Order().ToList();
        if (capitals.Count == 0)
        {
            return false;
        }
        var capital = capitals[capitals.Count / 2];
        for (var i = 0; i < text.Length; i++)
        {
            if (!SizeOnly.Contains(char.ToLowerInvariant(text[i])))
            {
                continue;
            }
            var height = glyphs[i].Bottom - glyphs[i].Top + 1;
            if (char.IsUpper(text[i]) ? height < 0.82 * capital : height >= 0.92 * capital)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Which pixels of <paramref name="region"/> are ink: those further from its commonest grey (its background, light or
    /// dark) than half the furthest any pixel gets. Null when nothing there stands out from the background.
    /// </summary>
    private static Func<int, int, bool>? InkOf(GrayImage gray, PixelRect region)
    {
        var histogram = new int[256];
        for (var y = region.Y; y < region.Bottom; y++)
        {
            for (var x = region.X; x < region.Right; x++)
            {
                histogram[gray[x, y]]++;
            }
        }
        var background = Array.IndexOf(histogram, histogram.Max());
        var extreme = Enumerable.Range(0, 256).Where(v => histogram[v] > 0).Max(v => Math.Abs(v - background));
        return extreme < MinContrast ? null : (x, y) => Math.Abs(gray[x, y] - background) * 2 > extreme;
    }

    // Less contrast than this between background and the furthest pixel is noise, not a glyph.
    private const int MinContrast = 40;
}
