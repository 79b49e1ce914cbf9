using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RpaWorker.Vision.Imaging;

/// <summary>
/// Writes images as PNG (8-bit RGB or greyscale, no interlace) for screenshots and review crops, and reads the 8-bit
/// PNGs screenshots are saved as (greyscale, RGB, RGBA; no interlace, no palette) for recorded screens.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>The image as a PNG file (RGB; the fourth byte of each pixel is dropped).</summary>
    public static byte[] Encode(ScreenImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var src = image.Pixels;
        var raw = new byte[image.Height * (1 + image.Width * 3)];
        var o = 0;
        for (var y = 0; y < image.Height; y++)
        {
            raw[o++] = 0;
            var row = y * image.Stride;
            for (var x = 0; x < image.Width; x++)
            {
                var p = row + x * ScreenImage.BytesPerPixel;
                raw[o++] = src[p + 2];
                raw[o++] = src[p + 1];
                raw[o++] = src[p];
            }
        }
        return Write(image.Width, image.Height, colorType: 2, raw);
    }

    /// <summary>The image as a greyscale PNG file.</summary>
    public static byte[] Encode(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var raw = new byte[image.Height * (1 + image.Width)];
        for (var y = 0; y < image.Height; y++)
        {
            image.Pixels.Slice(y * image.Width, image.Width).CopyTo(raw.AsSpan(y * (1 + image.Width) + 1));
        }
        return Write(image.Width, image.Height, colorType: 0, raw);
    }

    /// <summary>Reads a PNG file's pixels.</summary>
    /// <exception cref="InvalidDataException">It is not a PNG, or not one of the kinds this reader takes.</exception>
    public static ScreenImage Decode(ReadOnlySpan<byte> file)
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG file (no PNG signature)");
        }
        int width = 0, height = 0, channels = 0;
        using var data = new MemoryStream();
        var at = Signature.Length;
        while (at + 8 <= file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file[at..]);
            var type = Encoding.ASCII.GetString(file.Slice(at + 4, 4));
            if (length < 0 || at + 12 + length > file.Length)
            {
                throw new InvalidDataException($"PNG chunk {type} at byte {at} runs past the end of the file");
            }
            var body = file.Slice(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                if (body[8] != 8 || body[12] != 0)
                {
                    throw new InvalidDataException("only 8-bit, non-interlaced PNG files are read");
                }
                channels = body[9] switch
                {
                    0 => 1,
                    2 => 3,
                    4 => 2,
                    6 => 4,
                    _ => throw new InvalidDataException($"PNG colour type {body[9]} is not read (greyscale, RGB and RGBA are)"),
                };
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }
            else if (type == "IEND")
            {
                break;
            }
            at += 12 + length;
        }
        if (channels == 0 || width <= 0 || height <= 0)
        {
            throw new InvalidDataException("PNG file has no valid IHDR chunk");
        }
        data.Position = 0;
        var stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        using (var z = new ZLibStream(data, CompressionMode.Decompress))
        {
            z.ReadExactly(raw);
        }
        var pixels = new byte[width * height * ScreenImage.BytesPerPixel];
        var previous = new byte[stride];
        var row = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(row);
            Unfilter(filter, row, previous, channels);
            for (var x = 0; x < width; x++)
            {
                var s = x * channels;
                var o = (y * width + x) * ScreenImage.BytesPerPixel;
                var (r, g, b) = channels < 3 ? (row[s], row[s], row[s]) : (row[s], row[s + 1], row[s + 2]);
                pixels[o] = b;
                pixels[o + 1] = g;
                pixels[o + 2] = r;
            }
            (previous, row) = (row, previous);
        }
        return new ScreenImage(width, height, pixels);
    }

    private static void Unfilter(byte filter, byte[] row, byte[] previous, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            row[i] = (byte)(row[i] + filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => throw new InvalidDataException($"PNG row filter {filter} is not defined"),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] Write(int width, int height, byte colorType, byte[] filteredRows)
    {
        using var file = new MemoryStream();
        file.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = colorType;
        Chunk(file, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(filteredRows);
            }
            Chunk(file, "IDAT", compressed.ToArray());
        }
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        file.Write(typeBytes);
        file.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        file.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
