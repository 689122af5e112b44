namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>A decoded 8-bit image: rows top to bottom, pixels interleaved (HWC), 1 channel (gray) or 3 (R, G, B).</summary>
public sealed class PixelImage
{
    public PixelImage(int height, int width, int channels, byte[] pixels)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"image size {height}x{width} must be positive");
        if (channels is not (1 or 3)) throw new ArgumentException($"an image has 1 or 3 channels, not {channels}");
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)height * width * channels)
            throw new ArgumentException($"a {height}x{width}x{channels} image needs {(long)height * width * channels} bytes, got {pixels.LongLength}");
        Height = height;
        Width = width;
        Channels = channels;
        Pixels = pixels;
    }

    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }
}
