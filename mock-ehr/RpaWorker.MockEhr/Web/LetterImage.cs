using SkiaSharp;

namespace RpaWorker.MockEhr.Web;

/// <summary>
/// Renders a scanned letter as the PNG a document-imaging module would show: the letter's text on an off-white page,
/// so the only way to read it is OCR. Rendered on the server (never by the browser) so the picture is the same on
/// every machine and the text it shows is exactly the document's text, the ground truth.
/// </summary>
internal static class LetterImage
{
    public const int Width = 1000;
    private const float FontSize = 24;
    private const float Margin = 60;
    private const float LineGap = 12;

    // A serif face like a printed letter; fontconfig falls back to the default face when it is not installed.
    private static readonly SKTypeface Face = SKTypeface.FromFamilyName("Liberation Serif") ?? SKTypeface.Default;

    public static byte[] Render(string text)
    {
        using var font = new SKFont(Face, FontSize);
        var lines = text.Split('\n').SelectMany(l => Wrap(l, font, Width - 2 * Margin)).ToList();
        var lineHeight = FontSize + LineGap;
        var height = (int)Math.Ceiling(2 * Margin + lines.Count * lineHeight);
        using var surface = SKSurface.Create(new SKImageInfo(Width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(0xFA, 0xF8, 0xF2));
        using var ink = new SKPaint { Color = new SKColor(0x1A, 0x1A, 0x1A), IsAntialias = true };
        var y = Margin + FontSize;
        foreach (var line in lines)
        {
            canvas.DrawText(line, Margin, y, SKTextAlign.Left, font, ink);
            y += lineHeight;
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static IEnumerable<string> Wrap(string line, SKFont font, float width)
    {
        var current = "";
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && font.MeasureText(candidate) > width)
            {
                yield return current;
                current = word;
            }
            else
            {
                current = candidate;
            }
        }
        yield return current;
    }
}
