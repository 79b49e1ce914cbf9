using System.Globalization;
using RpaWorker.Vision.Imaging;

namespace RpaWorker.Drivers.Desktop.Pixel;

/// <summary>
/// Writes pictures of values held for review into the configured folder, and nowhere else: they show PHI. File names
/// hold the time and a sequence number, never what the value or the window title says.
/// </summary>
internal sealed class ReviewStore(string? folder, TimeProvider time)
{
    private int _sequence;

    /// <summary>Saves <paramref name="region"/> of the capture (grown a little for context) and returns its path; null without a folder.</summary>
    public string? Save(ScreenCapture capture, PixelRect region)
    {
        if (folder is null)
        {
            return null;
        }
        Directory.CreateDirectory(folder);
        var crop = capture.Image.Crop(region.Inflate(6, 4));
        var name = string.Create(CultureInfo.InvariantCulture,
            $"review-{time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence):D4}.png");
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, Png.Encode(crop));
        return path;
    }
}
