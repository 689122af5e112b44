using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Preprocessing;
using StbImageSharp;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Decodes a JPEG, PNG or BMP frame (MJPEG camera frames, rpicam-still output, image files) with StbImageSharp, the
/// decoder the CLI uses, with the CLI's conventions (docs/preprocessing.md): gray files stay one channel, color files
/// become RGB, alpha is dropped. StbImageSharp allocates its output (and, for a frame that is not a whole array or an
/// MJPEG frame without Huffman tables (<see cref="MjpegHuffmanTables"/>), the
/// input copy) on every decode: encoded frames are the one path that is not allocation-free; raw YUYV/RGB/gray frames are.
/// </summary>
public static class EncodedImageDecoder
{
    /// <param name="name">Names the frame in errors.</param>
    /// <exception cref="HardwareException">The data is empty or not a decodable image.</exception>
    public static PixelImage Decode(ReadOnlyMemory<byte> encoded, string name)
    {
        if (encoded.IsEmpty) throw new HardwareException($"{name}: the frame is empty, there is no image to decode");
        if (IsCutJpeg(encoded.Span))
            throw new HardwareException($"{name}: the {encoded.Length}-byte JPEG does not end with its end-of-image marker (a truncated frame)");
        // stb reads from a whole byte[]; a frame that is a slice of a larger buffer (an mmap'ed V4L2 buffer) is copied.
        byte[] bytes = MemoryMarshal.TryGetArray(encoded, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : encoded.ToArray();
        // A UVC camera's MJPEG frame may leave out its Huffman tables (the standard ones are implied).
        if (MjpegHuffmanTables.InsertIfMissing(bytes) is { } completed) bytes = completed;
        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(bytes, ColorComponents.Default);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // stb reports every malformed, truncated or unsupported file as a plain exception with a short reason.
            throw new HardwareException($"{name}: cannot decode the {bytes.Length}-byte image: {ex.Message}", ex);
        }
        if (result?.Data is null || result.Width <= 0 || result.Height <= 0)
            throw new HardwareException($"{name}: cannot decode the {bytes.Length}-byte image");
        int stored = result.Comp switch
        {
            ColorComponents.Grey => 1,
            ColorComponents.GreyAlpha => 2,
            ColorComponents.RedGreenBlue => 3,
            ColorComponents.RedGreenBlueAlpha => 4,
            var other => throw new HardwareException($"{name}: the decoder returned the unsupported pixel layout {other}"),
        };
        long pixels = (long)result.Width * result.Height;
        if (result.Data.LongLength != pixels * stored)
            throw new HardwareException($"{name}: the decoder returned {result.Data.LongLength} bytes for a {result.Width}x{result.Height} image of {stored} channels");
        int kept = stored <= 2 ? 1 : 3;
        return new PixelImage(result.Height, result.Width, kept, stored == kept ? result.Data : DropAlpha(result.Data, pixels, stored, kept));
    }

    /// <summary>A JPEG that stops before its end-of-image marker (FF D9): stb decodes such data without complaint,
    /// filling the missing blocks with gray, but a camera delivers it when a USB transfer was cut short, and classifying
    /// half a picture would report a confident wrong answer. Some cameras pad the buffer after the marker with zeros.</summary>
    private static bool IsCutJpeg(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != 0xD8) return false;
        var content = data.TrimEnd((byte)0);
        return content.Length < 4 || content[^2] != 0xFF || content[^1] != 0xD9;
    }

    private static byte[] DropAlpha(byte[] data, long pixels, int stored, int kept)
    {
        var result = new byte[pixels * kept];
        for (long i = 0; i < pixels; i++)
            for (int c = 0; c < kept; c++)
                result[i * kept + c] = data[i * stored + c];
        return result;
    }
}
