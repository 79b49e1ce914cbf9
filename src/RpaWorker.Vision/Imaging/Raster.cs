namespace RpaWorker.Vision.Imaging;

/// <summary>What every packed-row image does the same way, whatever its bytes per pixel.</summary>
internal static class Raster
{
    /// <exception cref="ArgumentException">A size is not positive, or the buffer does not hold exactly the pixels.</exception>
    public static void Check(int width, int height, int length, int bytesPerPixel, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (length != checked(width * height * bytesPerPixel))
        {
            throw new ArgumentException($"a {width}x{height} image needs {width * height * bytesPerPixel} bytes, not {length}", parameter);
        }
    }

    /// <summary>The rows of <paramref name="region"/> (clipped to the image) copied out, and the clipped region.</summary>
    /// <exception cref="ArgumentException">The region does not overlap the image.</exception>
    public static (byte[] Pixels, PixelRect Region) Crop(ReadOnlySpan<byte> pixels, int width, int height, int bytesPerPixel, PixelRect region)
    {
        var r = region.Intersect(new PixelRect(0, 0, width, height));
        if (r.IsEmpty)
        {
            throw new ArgumentException($"region {region} is outside the {width}x{height} image", nameof(region));
        }
        var bytes = new byte[r.Width * r.Height * bytesPerPixel];
        for (var y = 0; y < r.Height; y++)
        {
            pixels.Slice(((r.Y + y) * width + r.X) * bytesPerPixel, r.Width * bytesPerPixel).CopyTo(bytes.AsSpan(y * r.Width * bytesPerPixel));
        }
        return (bytes, r);
    }
}
