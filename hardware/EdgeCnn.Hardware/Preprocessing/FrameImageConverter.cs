using EdgeCnn.Hardware.Camera;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Turns a frame into the 8-bit image the resamplers read: packed rows (a camera's row stride dropped), RGB, or gray
/// when the model only wants luma (so a YUYV frame goes straight from Y to gray and an RGB frame straight to its luma,
/// with no full-size RGB step). For raw frames (Rgb24, Gray8, Yuyv) the image is one reused buffer, rebuilt only when
/// the frame size changes; encoded frames (Mjpeg, EncodedFile) are decoded into a new image each time. Not thread-safe.
/// </summary>
internal sealed class FrameImageConverter
{
    private readonly bool _gray;
    private PixelImage? _buffer;

    /// <param name="gray">The model reads luma only (a 1-channel input, or grayscale preprocessing).</param>
    public FrameImageConverter(bool gray) => _gray = gray;

    /// <summary>The returned image stays valid until the next call.</summary>
    /// <exception cref="HardwareException">An unsupported pixel format, a frame too short for its format, a row stride
    /// too small for its width, or encoded data that does not decode; the message names the frame.</exception>
    public PixelImage Convert(in Frame frame)
    {
        var format = frame.Format;
        var data = frame.Data.Span;
        switch (format.PixelFormat)
        {
            case PixelFormat.Rgb24:
            {
                int stride = RowStride(frame, 3);
                var image = Buffer(format.Height, format.Width, _gray ? 1 : 3);
                for (int y = 0; y < format.Height; y++)
                {
                    var row = data.Slice(y * stride, format.Width * 3);
                    if (_gray) Luma.FromRgb(row, image.Pixels.AsSpan(y * format.Width, format.Width));
                    else row.CopyTo(image.Pixels.AsSpan(y * format.Width * 3));
                }
                return image;
            }
            case PixelFormat.Gray8:
            {
                // A gray frame stays gray even for a color model: the preprocessors replicate it into the channels.
                int stride = RowStride(frame, 1);
                var image = Buffer(format.Height, format.Width, 1);
                for (int y = 0; y < format.Height; y++)
                    data.Slice(y * stride, format.Width).CopyTo(image.Pixels.AsSpan(y * format.Width));
                return image;
            }
            case PixelFormat.Yuyv:
            {
                if (format.Width % 2 != 0)
                    throw new HardwareException($"{FrameNames.Of(frame)}: a YUYV frame has an even width, not {format.Width}");
                int stride = RowStride(frame, 2);
                var image = Buffer(format.Height, format.Width, _gray ? 1 : 3);
                if (_gray) YuyvToRgb.ToGray(data, format.Width, format.Height, stride, image.Pixels);
                else YuyvToRgb.ToRgb(data, format.Width, format.Height, stride, image.Pixels);
                return image;
            }
            case PixelFormat.Mjpeg:
            case PixelFormat.EncodedFile:
                return EncodedImageDecoder.Decode(frame.Data, FrameNames.Of(frame));
            default:
                throw new HardwareException($"{FrameNames.Of(frame)}: pixel format {format.PixelFormat} is not supported (Rgb24, Gray8, Yuyv, Mjpeg, EncodedFile are)");
        }
    }

    /// <summary>The row stride of a raw frame after checking that the frame holds every row: a BytesPerLine of 0
    /// means packed rows. The check is what keeps a short or mis-described buffer from being read out of bounds.</summary>
    private static int RowStride(in Frame frame, int bytesPerPixel)
    {
        var format = frame.Format;
        if (format.Width <= 0 || format.Height <= 0)
            throw new HardwareException($"{FrameNames.Of(frame)}: a {format.PixelFormat} frame needs a positive size, got {format.Width}x{format.Height}");
        long packed = (long)format.Width * bytesPerPixel;
        if ((long)format.Width * format.Height * 3 > int.MaxValue)
            throw new HardwareException($"{FrameNames.Of(frame)}: a {format.Width}x{format.Height} frame is too large to preprocess");
        long stride = format.BytesPerLine == 0 ? packed : format.BytesPerLine;
        if (stride < packed)
            throw new HardwareException($"{FrameNames.Of(frame)}: {format.BytesPerLine} bytes per line cannot hold {format.Width} {format.PixelFormat} pixels ({packed} bytes)");
        long needed = stride * format.Height;
        if (frame.Data.Length < needed)
            throw new HardwareException($"{FrameNames.Of(frame)}: the frame has {frame.Data.Length} bytes, {format.Height} rows of {stride} bytes need {needed} (truncated frame?)");
        return (int)stride;
    }

    private PixelImage Buffer(int height, int width, int channels)
    {
        if (_buffer is { } b && b.Height == height && b.Width == width && b.Channels == channels) return b;
        return _buffer = new PixelImage(height, width, channels, new byte[height * width * channels]);
    }
}
