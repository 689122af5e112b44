using EdgeCnn.Hardware.Camera;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>Frames built in memory, laid out as a camera delivers them: rows of BytesPerLine bytes with junk in the
/// padding (so a converter that reads the padding is caught).</summary>
internal static class TestFrames
{
    private const byte Junk = 0xA5;

    public static Frame Raw(PixelFormat format, int width, int height, int bytesPerLine, Func<int, int, int, byte> value, long sequence = 1)
    {
        int pixelBytes = format switch { PixelFormat.Rgb24 => 3, PixelFormat.Gray8 => 1, PixelFormat.Yuyv => 2, _ => throw new ArgumentException($"{format} is not raw") };
        var data = new byte[bytesPerLine * height];
        Array.Fill(data, Junk);
        for (int y = 0; y < height; y++)
            for (int i = 0; i < width * pixelBytes; i++)
                data[y * bytesPerLine + i] = value(y, i / pixelBytes, i % pixelBytes);
        return new Frame(new FrameFormat(width, height, format, bytesPerLine), data, sequence, DateTimeOffset.UnixEpoch);
    }

    /// <summary>The packed pixels of a decoded image as an Rgb24 or Gray8 camera frame with padded rows.</summary>
    public static Frame FromImage(PixelImage image, int rowPadding, string name)
    {
        var format = image.Channels == 3 ? PixelFormat.Rgb24 : PixelFormat.Gray8;
        int packed = image.Width * image.Channels;
        var frame = Raw(format, image.Width, image.Height, packed + rowPadding, (y, x, c) => image.Pixels[y * packed + x * image.Channels + c]);
        return frame with { Name = name };
    }

    public static Frame Encoded(string path, PixelFormat format = PixelFormat.EncodedFile) =>
        new(new FrameFormat(0, 0, format, 0), File.ReadAllBytes(path), 1, DateTimeOffset.UnixEpoch, Path.GetFileName(path));

    /// <summary>A deterministic pseudo-random YUYV frame (every byte value occurs) with padded rows.</summary>
    public static Frame Yuyv(int width, int height, int bytesPerLine, int seed)
    {
        var random = new Random(seed);
        return Raw(PixelFormat.Yuyv, width, height, bytesPerLine, (_, _, _) => (byte)random.Next(256));
    }
}
