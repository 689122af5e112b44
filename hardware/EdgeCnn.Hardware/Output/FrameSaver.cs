using System.Globalization;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Output;

/// <summary>
/// Saves captured frames into a directory, keeping at most <see cref="MaxFiles"/> of them (the oldest is deleted
/// first) so a long-running device never fills its disk. Encoded frames (MJPEG, JPEG/PNG/BMP files) are written as
/// captured, with the extension their bytes say; YUYV and RGB frames become binary PPM (.ppm, readable by most image
/// tools without any encoder here), gray frames PGM (.pgm). Names are frame-{UTC time}-{trigger sequence}.{ext}, so
/// name order is capture order, also for files left by an earlier run (they count toward the limit).
/// </summary>
public sealed class FrameSaver
{
    private const string Prefix = "frame-";
    private readonly Queue<string> _saved = new();
    private byte[] _rgb = [];

    public FrameSaver(string directory, int maxFiles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFiles, 1);
        Directory = directory;
        MaxFiles = maxFiles;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            foreach (var existing in System.IO.Directory.GetFiles(directory, Prefix + "*").Order(StringComparer.Ordinal))
                _saved.Enqueue(existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HardwareException($"frame directory '{directory}': cannot create or list it: {ex.Message}", ex);
        }
    }

    public string Directory { get; }

    public int MaxFiles { get; }

    /// <summary>Writes the frame and returns its path.</summary>
    /// <exception cref="HardwareException">The file cannot be written, or the frame's bytes do not match its format.</exception>
    public string Save(in Frame frame, TriggerEvent trigger)
    {
        var (bytes, extension, header) = Encode(frame);
        string name = string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{trigger.Timestamp.UtcDateTime:yyyyMMdd'T'HHmmssfff}-{trigger.Sequence:D6}{extension}");
        string path = Path.Combine(Directory, name);
        try
        {
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (header is not null) file.Write(header);
                file.Write(bytes.Span);
            }
            _saved.Enqueue(path);
            while (_saved.Count > MaxFiles) File.Delete(_saved.Dequeue());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HardwareException($"saving frame {frame.Sequence} to '{path}': {ex.Message}", ex);
        }
        return path;
    }

    private (ReadOnlyMemory<byte> Bytes, string Extension, byte[]? Header) Encode(in Frame frame)
    {
        var format = frame.Format;
        switch (format.PixelFormat)
        {
            case PixelFormat.Mjpeg:
                return (frame.Data, ".jpg", null);
            case PixelFormat.EncodedFile:
                return (frame.Data, ExtensionOf(frame.Data.Span), null);
            case PixelFormat.Gray8:
                return (Packed(frame, 1), ".pgm", PnmHeader("P5", format));
            case PixelFormat.Rgb24:
                return (Packed(frame, 3), ".ppm", PnmHeader("P6", format));
            case PixelFormat.Yuyv:
                return (YuyvToRgb(frame), ".ppm", PnmHeader("P6", format));
            default:
                throw new HardwareException($"saving frame {frame.Sequence}: pixel format {format.PixelFormat} is not supported");
        }
    }

    private static string ExtensionOf(ReadOnlySpan<byte> data) => data switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => ".png",
        [0xFF, 0xD8, ..] => ".jpg",
        [(byte)'B', (byte)'M', ..] => ".bmp",
        // Unknown bytes are still kept, under a name that does not claim a format.
        _ => ".bin",
    };

    private static byte[] PnmHeader(string magic, FrameFormat format) =>
        System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{magic}\n{format.Width} {format.Height}\n255\n"));

    /// <summary>The frame's rows without their line padding (rows are copied only when padded).</summary>
    private ReadOnlyMemory<byte> Packed(in Frame frame, int bytesPerPixel)
    {
        var format = frame.Format;
        int row = format.Width * bytesPerPixel;
        int stride = format.BytesPerLine > 0 ? format.BytesPerLine : row;
        CheckSize(frame, stride, row);
        if (stride == row) return frame.Data[..(row * format.Height)];
        var packed = Rent(row * format.Height);
        var source = frame.Data.Span;
        for (int y = 0; y < format.Height; y++)
            source.Slice(y * stride, row).CopyTo(packed.AsSpan(y * row, row));
        return packed.AsMemory(0, row * format.Height);
    }

    /// <summary>BT.601 limited-range YUV 4:2:2 to RGB in integer arithmetic (the usual webcam encoding).</summary>
    private ReadOnlyMemory<byte> YuyvToRgb(in Frame frame)
    {
        var format = frame.Format;
        if (format.Width % 2 != 0)
            throw new HardwareException($"saving frame {frame.Sequence}: YUYV needs an even width, got {format.Width}");
        int row = format.Width * 2;
        int stride = format.BytesPerLine > 0 ? format.BytesPerLine : row;
        CheckSize(frame, stride, row);
        var rgb = Rent(format.Width * format.Height * 3);
        var source = frame.Data.Span;
        int o = 0;
        for (int y = 0; y < format.Height; y++)
        {
            var line = source.Slice(y * stride, row);
            for (int x = 0; x < row; x += 4)
            {
                int u = line[x + 1] - 128, v = line[x + 3] - 128;
                o = WritePixel(rgb, o, line[x], u, v);
                o = WritePixel(rgb, o, line[x + 2], u, v);
            }
        }
        return rgb.AsMemory(0, o);
    }

    private static int WritePixel(byte[] rgb, int at, int luma, int u, int v)
    {
        int c = 298 * (luma - 16) + 128;
        rgb[at] = Clamp((c + 409 * v) >> 8);
        rgb[at + 1] = Clamp((c - 100 * u - 208 * v) >> 8);
        rgb[at + 2] = Clamp((c + 516 * u) >> 8);
        return at + 3;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private static void CheckSize(in Frame frame, int stride, int row)
    {
        var format = frame.Format;
        if (format.Width <= 0 || format.Height <= 0 || stride < row)
            throw new HardwareException($"saving frame {frame.Sequence}: invalid geometry {format.Width}x{format.Height}, {stride} bytes per line");
        long needed = (long)stride * (format.Height - 1) + row;
        if (frame.Data.Length < needed)
            throw new HardwareException($"saving frame {frame.Sequence}: {format} needs {needed} bytes, the frame has {frame.Data.Length}");
    }

    private byte[] Rent(int length)
    {
        if (_rgb.Length < length) _rgb = new byte[length];
        return _rgb;
    }
}
