namespace RpaWorker.Vision.Imaging;

/// <summary>A rectangle of pixels: left, top, width and height. Right and Bottom are exclusive.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width; zero or less is empty.</param>
/// <param name="Height">Height; zero or less is empty.</param>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>One past the right edge.</summary>
    public int Right => X + Width;

    /// <summary>One past the bottom edge.</summary>
    public int Bottom => Y + Height;

    /// <summary>The middle column.</summary>
    public int CenterX => X + Width / 2;

    /// <summary>The middle row.</summary>
    public int CenterY => Y + Height / 2;

    /// <summary>True when it holds no pixel.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>The rectangle from edges (right and bottom exclusive).</summary>
    public static PixelRect FromEdges(int left, int top, int right, int bottom) => new(left, top, right - left, bottom - top);

    /// <summary>The part both rectangles share; empty when they do not meet.</summary>
    public PixelRect Intersect(PixelRect other)
    {
        var left = Math.Max(X, other.X);
        var top = Math.Max(Y, other.Y);
        var right = Math.Min(Right, other.Right);
        var bottom = Math.Min(Bottom, other.Bottom);
        return right <= left || bottom <= top ? default : FromEdges(left, top, right, bottom);
    }

    /// <summary>The smallest rectangle holding both; an empty one adds nothing.</summary>
    public PixelRect Union(PixelRect other) =>
        IsEmpty ? other
        : other.IsEmpty ? this
        : FromEdges(Math.Min(X, other.X), Math.Min(Y, other.Y), Math.Max(Right, other.Right), Math.Max(Bottom, other.Bottom));

    /// <summary>Grown by <paramref name="dx"/> on the left and right and <paramref name="dy"/> on the top and bottom.</summary>
    public PixelRect Inflate(int dx, int dy) => new(X - dx, Y - dy, Width + 2 * dx, Height + 2 * dy);

    /// <summary>Moved by an offset.</summary>
    public PixelRect Offset(int dx, int dy) => this with { X = X + dx, Y = Y + dy };

    /// <summary>Whether the pixel is inside.</summary>
    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    /// <summary>How many rows the two share (negative: the gap between them).</summary>
    public int VerticalOverlap(PixelRect other) => Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);

    /// <summary>How many columns the two share (negative: the gap between them).</summary>
    public int HorizontalOverlap(PixelRect other) => Math.Min(Right, other.Right) - Math.Max(X, other.X);

    /// <inheritdoc />
    public override string ToString() => $"{Width}x{Height}+{X}+{Y}";
}
