using RpaWorker.Vision.Imaging;

namespace RpaWorker.Vision.Tests.Imaging;

public sealed class ImageTests
{
    private static ScreenImage Checkerboard(int width, int height)
    {
        var bytes = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 4;
                bytes[i] = (byte)(x * 10);
                bytes[i + 1] = (byte)(y * 20);
                bytes[i + 2] = (byte)((x + y) % 2 == 0 ? 255 : 0);
            }
        }
        return new ScreenImage(width, height, bytes);
    }

    [Fact]
    public void PngEncodeDecode_ColourImage_RoundTripsEveryPixel()
    {
        var image = Checkerboard(13, 7);

        var decoded = Png.Decode(Png.Encode(image));

        Assert.Equal((13, 7), (decoded.Width, decoded.Height));
        for (var y = 0; y < 7; y++)
        {
            for (var x = 0; x < 13; x++)
            {
                Assert.Equal(image.Rgb(x, y), decoded.Rgb(x, y));
            }
        }
    }

    [Fact]
    public void PngEncodeDecode_GreyImage_RoundTripsAsGrey()
    {
        var gray = Checkerboard(9, 5).ToGray();

        var decoded = Png.Decode(Png.Encode(gray)).ToGray();

        Assert.Equal(gray.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [Fact]
    public void PngDecode_NotAPng_SaysSo()
    {
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode("GIF89a........"u8));

        Assert.Contains("not a PNG", e.Message);
    }

    [Fact]
    public void Crop_RegionPartlyOutside_KeepsTheOverlapAndItsPixels()
    {
        var image = Checkerboard(10, 10);

        var crop = image.Crop(new PixelRect(7, 8, 10, 10));

        Assert.Equal((3, 2), (crop.Width, crop.Height));
        Assert.Equal(image.Rgb(7, 8), crop.Rgb(0, 0));
        Assert.Equal(image.Rgb(9, 9), crop.Rgb(2, 1));
    }

    [Fact]
    public void Difference_OnePixelChanged_CountsItAndBoxesIt()
    {
        var a = Checkerboard(10, 10);
        var bytes = a.Pixels.ToArray();
        bytes[(4 * 10 + 6) * 4 + 1] ^= 0xFF;
        var b = new ScreenImage(10, 10, bytes);

        var (count, box) = a.Difference(b);

        Assert.Equal(1, count);
        Assert.Equal(new PixelRect(6, 4, 1, 1), box);
        Assert.Equal((0, default(PixelRect)), a.Difference(Checkerboard(10, 10)));
    }

    [Fact]
    public void Pad_AddsABorderInTheBackgroundColour()
    {
        var image = Checkerboard(4, 3);

        var padded = image.Pad(2);

        Assert.Equal((8, 7), (padded.Width, padded.Height));
        Assert.Equal(image.Rgb(0, 0), padded.Rgb(0, 0));
        Assert.Equal(image.Rgb(0, 0), padded.Rgb(7, 6));
        Assert.Equal(image.Rgb(3, 2), padded.Rgb(5, 4));
    }

    [Fact]
    public void Scale_Nearest_RepeatsEachPixel()
    {
        var gray = new GrayImage(2, 1, [10, 200]);

        var scaled = gray.Scale(3, ScaleFilter.Nearest);

        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200, 10, 10, 10, 200, 200, 200, 10, 10, 10, 200, 200, 200 }, scaled.Pixels.ToArray());
    }

    [Fact]
    public void Scale_Bilinear_BlendsBetweenNeighboursAndKeepsTheEnds()
    {
        var gray = new GrayImage(2, 1, [0, 200]);

        var row = gray.Scale(2, ScaleFilter.Bilinear).Pixels[..4].ToArray();

        Assert.Equal(0, row[0]);
        Assert.InRange(row[1], 40, 60);
        Assert.InRange(row[2], 140, 160);
        Assert.Equal(200, row[3]);
    }

    [Fact]
    public void Binarize_TwoGreyPopulations_SplitsThemBlackAndWhite()
    {
        var gray = new GrayImage(6, 1, [30, 40, 35, 210, 220, 200]);

        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, gray.Binarize().Pixels.ToArray());
    }

    [Fact]
    public void PixelRect_IntersectAndUnion_FollowTheirEdges()
    {
        var a = new PixelRect(0, 0, 10, 10);
        var b = new PixelRect(5, 8, 10, 10);

        Assert.Equal(new PixelRect(5, 8, 5, 2), a.Intersect(b));
        Assert.Equal(new PixelRect(0, 0, 15, 18), a.Union(b));
        Assert.True(a.Intersect(new PixelRect(20, 20, 1, 1)).IsEmpty);
        Assert.Equal(2, a.VerticalOverlap(b));
    }
}
