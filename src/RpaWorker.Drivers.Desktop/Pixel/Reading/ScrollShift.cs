using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>
/// How far the content of a region moved up between two captures, found from the pixels alone: each pixel row of the
/// region is compared whole, and the shift is the one under which the rows that carry something (not plain
/// background) line up. A list that scrolled shows its rows again, exactly, higher up; nothing about the text is
/// needed, so OCR's slips cannot make a row be read twice or skipped.
/// </summary>
internal static class ScrollShift
{
    // Share of the comparable rows that must be identical under the shift, and how many there must be at least.
    private const double MinAgreement = 0.9;
    private const int MinRows = 6;

    /// <summary>The shift in pixels (content moved up by it), or null when no shift lines the two up.</summary>
    public static int? Find(GrayImage before, GrayImage after, PixelRect region)
    {
        var r = region.Intersect(before.Bounds).Intersect(after.Bounds);
        if (r.IsEmpty)
        {
            return null;
        }
        var a = RowHashes(before, r);
        var b = RowHashes(after, r);
        int? best = null;
        var bestMatches = 0;
        for (var shift = 1; shift < r.Height - MinRows; shift++)
        {
            int comparable = 0, matches = 0;
            for (var y = 0; y + shift < r.Height; y++)
            {
                if (a[y + shift] is not { } row)
                {
                    continue;
                }
                comparable++;
                if (b[y] == row)
                {
                    matches++;
                }
            }
            if (comparable >= MinRows && matches >= comparable * MinAgreement && matches > bestMatches)
            {
                (best, bestMatches) = (shift, matches);
            }
        }
        return best;
    }

    // A hash per pixel row of the region; null for a row of one grey (background), which lines up with anything.
    private static ulong?[] RowHashes(GrayImage image, PixelRect r)
    {
        var hashes = new ulong?[r.Height];
        var pixels = image.Pixels;
        for (var y = 0; y < r.Height; y++)
        {
            var row = pixels.Slice((r.Y + y) * image.Width + r.X, r.Width);
            var first = row[0];
            var plain = true;
            var hash = 14695981039346656037UL;
            foreach (var p in row)
            {
                plain &= p == first;
                hash = (hash ^ p) * 1099511628211UL;
            }
            hashes[y] = plain ? null : hash;
        }
        return hashes;
    }
}
