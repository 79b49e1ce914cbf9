namespace RpaWorker.Vision.Imaging;

/// <summary>How an image is enlarged.</summary>
public enum ScaleFilter
{
    /// <summary>Each pixel repeated: hard edges, no new grey levels.</summary>
    Nearest,
    /// <summary>Linear interpolation between the four nearest pixels: smoother glyph edges.</summary>
    Bilinear,
}

/// <summary>An 8-bit greyscale image, rows packed with no padding. Treated as immutable once made.</summary>
public sealed class GrayImage
{
    private readonly byte[] _pixels;

    /// <summary>Wraps <paramref name="pixels"/> (taken, not copied): one byte per pixel, row after row.</summary>
    /// <exception cref="ArgumentException">The buffer does not hold exactly width × height bytes, or a size is not positive.</exception>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        Raster.Check(width, height, pixels.Length, 1, nameof(pixels));
        Width = width;
        Height = height;
        _pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The whole image as a rectangle at 0,0.</summary>
    public PixelRect Bounds => new(0, 0, Width, Height);

    /// <summary>The pixel bytes, row after row.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The grey level at a pixel (0 black, 255 white).</summary>
    public byte this[int x, int y] => _pixels[y * Width + x];

    /// <summary>The part inside <paramref name="region"/> (clipped to the image).</summary>
    /// <exception cref="ArgumentException">The region does not overlap the image.</exception>
    public GrayImage Crop(PixelRect region)
    {
        var (bytes, r) = Raster.Crop(_pixels, Width, Height, 1, region);
        return new GrayImage(r.Width, r.Height, bytes);
    }

    /// <summary>Enlarged by a whole factor (1 returns this image).</summary>
    public GrayImage Scale(int factor, ScaleFilter filter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        if (factor == 1)
        {
            return this;
        }
        var w = Width * factor;
        var h = Height * factor;
        var dst = new byte[w * h];
        if (filter == ScaleFilter.Nearest)
        {
            for (var y = 0; y < h; y++)
            {
                var srcRow = y / factor * Width;
                for (var x = 0; x < w; x++)
                {
                    dst[y * w + x] = _pixels[srcRow + x / factor];
                }
            }
            return new GrayImage(w, h, dst);
        }
        // Sample at pixel centres: output centre (o + 0.5) / f - 0.5 in source coordinates, in 1/256 steps.
        var xs = new (int I0, int I1, int F)[w];
        for (var x = 0; x < w; x++)
        {
            xs[x] = Tap(x, factor, Width);
        }
        for (var y = 0; y < h; y++)
        {
            var (y0, y1, fy) = Tap(y, factor, Height);
            var r0 = y0 * Width;
            var r1 = y1 * Width;
            for (var x = 0; x < w; x++)
            {
                var (x0, x1, fx) = xs[x];
                var top = _pixels[r0 + x0] * (256 - fx) + _pixels[r0 + x1] * fx;
                var bottom = _pixels[r1 + x0] * (256 - fx) + _pixels[r1 + x1] * fx;
                dst[y * w + x] = (byte)((top * (256 - fy) + bottom * fy + 32768) >> 16);
            }
        }
        return new GrayImage(w, h, dst);
    }

    private static (int I0, int I1, int F) Tap(int o, int factor, int size)
    {
        var s = ((2 * o + 1) * 256 / (2 * factor)) - 128;
        if (s <= 0)
        {
            return (0, 0, 0);
        }
        var i0 = s >> 8;
        return i0 >= size - 1 ? (size - 1, size - 1, 0) : (i0, i0 + 1, s & 255);
    }

    /// <summary>Black and white at the threshold that best separates the two grey populations (Otsu's method).</summary>
    public GrayImage Binarize()
    {
        var histogram = new int[256];
        foreach (var p in _pixels)
        {
            histogram[p]++;
        }
        long total = _pixels.Length, sumAll = 0;
        for (var i = 0; i < 256; i++)
        {
            sumAll += (long)i * histogram[i];
        }
        long weightBelow = 0, sumBelow = 0;
        double best = -1;
        var threshold = 127;
        for (var t = 0; t < 256; t++)
        {
            weightBelow += histogram[t];
            if (weightBelow == 0)
            {
                continue;
            }
            var weightAbove = total - weightBelow;
            if (weightAbove == 0)
            {
                break;
            }
            sumBelow += (long)t * histogram[t];
            var meanBelow = (double)sumBelow / weightBelow;
            var meanAbove = (double)(sumAll - sumBelow) / weightAbove;
            var between = (double)weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }
        var dst = new byte[_pixels.Length];
        for (var i = 0; i < dst.Length; i++)
        {
            dst[i] = _pixels[i] > threshold ? (byte)255 : (byte)0;
        }
        return new GrayImage(Width, Height, dst);
    }
}
