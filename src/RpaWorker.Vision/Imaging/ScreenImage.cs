namespace RpaWorker.Vision.Imaging;

/// <summary>
/// A captured screen or window: 32-bit pixels in B, G, R, X byte order (the X server's ZPixmap order on little-endian
/// machines), rows packed with no padding. Treated as immutable once made. It shows PHI: never log or save it except
/// where configured.
/// </summary>
public sealed class ScreenImage
{
    /// <summary>Bytes per pixel.</summary>
    public const int BytesPerPixel = 4;

    private readonly byte[] _pixels;

    /// <summary>Wraps <paramref name="bgrx"/> (taken, not copied): <paramref name="width"/> × <paramref name="height"/> × 4 bytes.</summary>
    /// <exception cref="ArgumentException">The buffer does not hold exactly that many bytes, or a size is not positive.</exception>
    public ScreenImage(int width, int height, byte[] bgrx)
    {
        ArgumentNullException.ThrowIfNull(bgrx);
        Raster.Check(width, height, bgrx.Length, BytesPerPixel, nameof(bgrx));
        Width = width;
        Height = height;
        _pixels = bgrx;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The whole image as a rectangle at 0,0.</summary>
    public PixelRect Bounds => new(0, 0, Width, Height);

    /// <summary>The pixel bytes (B, G, R, X per pixel, row after row).</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * BytesPerPixel;

    /// <summary>The colour at a pixel as 0xRRGGBB.</summary>
    public int Rgb(int x, int y)
    {
        var i = (y * Width + x) * BytesPerPixel;
        return (_pixels[i + 2] << 16) | (_pixels[i + 1] << 8) | _pixels[i];
    }

    /// <summary>The part inside <paramref name="region"/> (clipped to the image).</summary>
    /// <exception cref="ArgumentException">The region does not overlap the image.</exception>
    public ScreenImage Crop(PixelRect region)
    {
        var (bytes, r) = Raster.Crop(_pixels, Width, Height, BytesPerPixel, region);
        return new ScreenImage(r.Width, r.Height, bytes);
    }

    /// <summary>
    /// The image with a border of <paramref name="margin"/> pixels in the colour of its top-left pixel (its background,
    /// for a crop of text): OCR reads a tight crop better with some space around it.
    /// </summary>
    public ScreenImage Pad(int margin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        var width = Width + 2 * margin;
        var height = Height + 2 * margin;
        var bytes = new byte[width * height * BytesPerPixel];
        var background = _pixels.AsSpan(0, BytesPerPixel);
        for (var i = 0; i < width * height; i++)
        {
            background.CopyTo(bytes.AsSpan(i * BytesPerPixel));
        }
        for (var y = 0; y < Height; y++)
        {
            _pixels.AsSpan(y * Stride, Stride).CopyTo(bytes.AsSpan(((y + margin) * width + margin) * BytesPerPixel));
        }
        return new ScreenImage(width, height, bytes);
    }

    /// <summary>
    /// The image with light and dark swapped (each colour channel v becomes 255 - v): light text on a dark bar (a
    /// selected row) becomes dark text on light, as OCR models expect.
    /// </summary>
    public ScreenImage Inverted()
    {
        var bytes = new byte[_pixels.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = i % BytesPerPixel == 3 ? _pixels[i] : (byte)(255 - _pixels[i]);
        }
        return new ScreenImage(Width, Height, bytes);
    }

    /// <summary>Luminance (ITU-R BT.601 weights), one byte per pixel.</summary>
    public GrayImage ToGray()
    {
        var gray = new byte[Width * Height];
        var src = _pixels.AsSpan();
        for (var i = 0; i < gray.Length; i++)
        {
            var p = i * BytesPerPixel;
            gray[i] = (byte)((src[p + 2] * 299 + src[p + 1] * 587 + src[p] * 114 + 500) / 1000);
        }
        return new GrayImage(Width, Height, gray);
    }

    /// <summary>Whether both images have the same size and pixels (the unused fourth byte is compared too).</summary>
    public bool SameAs(ScreenImage? other) =>
        other is not null && other.Width == Width && other.Height == Height && other.Pixels.SequenceEqual(Pixels);

    /// <summary>
    /// Where this image differs from <paramref name="other"/>: the number of changed pixels and their bounding box.
    /// Images of different sizes differ everywhere.
    /// </summary>
    public (int Count, PixelRect Bounds) Difference(ScreenImage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Width != Width || other.Height != Height)
        {
            return (Width * Height, Bounds);
        }
        var a = _pixels.AsSpan();
        var b = other.Pixels;
        int count = 0, left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < Height; y++)
        {
            var row = y * Stride;
            if (a.Slice(row, Stride).SequenceEqual(b.Slice(row, Stride)))
            {
                continue;
            }
            for (var x = 0; x < Width; x++)
            {
                var p = row + x * BytesPerPixel;
                if (a[p] == b[p] && a[p + 1] == b[p + 1] && a[p + 2] == b[p + 2])
                {
                    continue;
                }
                count++;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }
        return count == 0 ? (0, default) : (count, PixelRect.FromEdges(left, top, right + 1, bottom + 1));
    }
}
