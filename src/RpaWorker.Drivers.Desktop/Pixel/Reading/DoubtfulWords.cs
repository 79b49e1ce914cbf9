using RpaWorker.Vision.Imaging;
using RpaWorker.Vision.Ocr;

namespace RpaWorker.Drivers.Desktop.Pixel.Reading;

/// <summary>
/// Words the page reading doubts, read again each from a crop of its own, and the surer reading put in their place.
/// </summary>
/// <remarks>
/// In a line of small print set close together, the page reading sometimes drops a word's last marks: the v2 banner's
/// "D.O.B.:" read as "D.O.B" at confidence 0.70, which is no label (a label ends with a colon), so nothing on the screen
/// was labelled a birth date. The same pixels read alone, with a little room to the right where the lost marks are, read
/// "D.O.B.:" at 0.9 in a few milliseconds. Only doubtful words are read again, and only a reading that is clearly surer
/// replaces one: a screen the page reads well costs nothing more. Words with digits are left as read: they are values
/// (dates, codes, numbers), never labels or captions, and a value is read again from its own crop whenever it is read.
/// </remarks>
internal static class DoubtfulWords
{
    // Under this confidence a word is read again (sound words on these screens read at 0.9 and over).
    private const double Doubtful = 0.8;
    // The reading again must be this much surer to be kept.
    private const double Surer = 0.1;
    // A page with more doubtful words than this is read again for the least sure ones only.
    private const int MaxWords = 16;
    // A word this much taller than the page's text is a garbled band's (GarbledBands reads those), not a word.
    private const double TallWord = 2.0;

    /// <summary>The doubtful words of a page reading, least sure first, each with the crop to read it from.</summary>
    public static IReadOnlyList<(OcrWord Word, PixelRect Crop)> Find(IReadOnlyList<OcrWord> words, PixelRect bounds)
    {
        var heights = words.Select(w => w.Box.Height).Order().ToList();
        var typical = heights.Count == 0 ? 12 : Math.Max(6, heights[heights.Count / 2]);
        return words
            .Where(w => w.Confidence < Doubtful && w.Text.Any(char.IsLetter) && !w.Text.Any(char.IsDigit) && w.Box.Height <= typical * TallWord)
            .OrderBy(w => w.Confidence)
            .Take(MaxWords)
            .Select(w => (w, Crop(words, w, typical).Intersect(bounds)))
            .Where(x => !x.Item2.IsEmpty)
            .ToList();
    }

    /// <summary>
    /// The word's box grown by half a text height up and down and to the left, and by a text height and a half to the
    /// right (where dropped marks are), but never into a neighbouring word on its line.
    /// </summary>
    private static PixelRect Crop(IReadOnlyList<OcrWord> words, OcrWord word, int typical)
    {
        var box = word.Box;
        var beside = words.Where(w => !ReferenceEquals(w, word) && w.Box.VerticalOverlap(box) > 0).ToList();
        var left = beside.Where(w => w.Box.Right <= box.X).Select(w => w.Box.Right + 1).DefaultIfEmpty(int.MinValue).Max();
        var right = beside.Where(w => w.Box.X >= box.Right).Select(w => w.Box.X - 1).DefaultIfEmpty(int.MaxValue).Min();
        var grow = Math.Max(3, typical / 2);
        return PixelRect.FromEdges(
            Math.Max(left, box.X - grow), box.Y - grow,
            Math.Min(right, box.Right + 3 * grow), box.Bottom + grow);
    }

    /// <summary>
    /// <paramref name="words"/> with <paramref name="word"/> replaced by what reading its crop again found there, when
    /// that is clearly surer (every word of it); otherwise <paramref name="words"/> as they were.
    /// </summary>
    public static IReadOnlyList<OcrWord> Replace(IReadOnlyList<OcrWord> words, OcrWord word, PixelRect crop, IReadOnlyList<OcrWord> reread)
    {
        var found = reread.Where(w => crop.Contains(w.Box.CenterX, w.Box.CenterY) && w.Text.Length > 0).ToList();
        if (found.Count == 0 || found.Any(w => w.Confidence < word.Confidence + Surer))
        {
            return words;
        }
        var replaced = words.ToList();
        var at = replaced.FindIndex(w => ReferenceEquals(w, word));
        if (at < 0)
        {
            return words;
        }
        replaced.RemoveAt(at);
        replaced.InsertRange(at, found.OrderBy(w => w.Box.X).Select(w => w with { Line = word.Line }));
        return replaced;
    }
}
