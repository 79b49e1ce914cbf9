using RpaWorker.Vision.Imaging;

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
        var histogram = new int[256];
        foreach (var v in gray.Pixels)
        {
            histogram[v]++;
        }
        var background = Array.IndexOf(histogram, histogram.Max());
        var extreme = 0;
        foreach (var v in gray.Pixels)
        {
            extreme = Math.Max(extreme, Math.Abs(v - background));
        }
        if (extreme < 40)
        {
            return null;
        }
        bool Ink(int x, int y) => Math.Abs(gray[x, y] - background) * 2 > extreme;
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
}
