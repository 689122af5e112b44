using System.Buffers.Binary;
using System.Text;

namespace EdgeCnn.Models;

/// <summary>
/// Writes 8-bit RGB PNG files. The image data goes into stored (uncompressed) deflate blocks: the files
/// are tiny, and the bytes then depend on nothing but the pixels — no zlib version or CPU-specific match
/// finder — so committed sample images can be compared byte for byte with freshly generated ones.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <param name="rgb">Height·width·3 bytes, row by row.</param>
    public static byte[] EncodeRgb(int width, int height, ReadOnlySpan<byte> rgb) => Encode(width, height, rgb, 3, "RGB");

    /// <param name="gray">Height·width bytes, row by row.</param>
    public static byte[] EncodeGray(int width, int height, ReadOnlySpan<byte> gray) => Encode(width, height, gray, 1, "grayscale");

    private static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, int channels, string kind)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image size must be positive");
        if (pixels.Length != width * height * channels) throw new ArgumentException($"{pixels.Length} bytes do not make a {width}x{height} {kind} image", nameof(pixels));

        // Each scanline is prefixed by its filter type; 0 = none.
        int stride = width * channels;
        var raw = new byte[height * (1 + stride)];
        for (int y = 0; y < height; y++)
            pixels.Slice(y * stride, stride).CopyTo(raw.AsSpan(y * (1 + stride) + 1));

        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;  // bits per channel
        header[9] = channels == 3 ? (byte)2 : (byte)0;  // color type: truecolor RGB or grayscale
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", ZlibStored(raw));
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] ZlibStored(ReadOnlySpan<byte> data)
    {
        using var z = new MemoryStream();
        z.WriteByte(0x78); // deflate, 32 KiB window
        z.WriteByte(0x01); // no preset dictionary; header check bits make 0x7801 a multiple of 31
        int offset = 0;
        Span<byte> lengths = stackalloc byte[4];
        do
        {
            int length = Math.Min(65535, data.Length - offset);
            bool last = offset + length == data.Length;
            z.WriteByte(last ? (byte)1 : (byte)0); // BFINAL, BTYPE = 00 (stored)
            BinaryPrimitives.WriteUInt16LittleEndian(lengths, (ushort)length);
            BinaryPrimitives.WriteUInt16LittleEndian(lengths[2..], (ushort)~length);
            z.Write(lengths);
            z.Write(data.Slice(offset, length));
            offset += length;
        } while (offset < data.Length);
        Span<byte> adler = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(adler, Adler32(data));
        z.Write(adler);
        return z.ToArray();
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }
}
