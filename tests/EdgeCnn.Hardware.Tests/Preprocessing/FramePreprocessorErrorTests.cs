using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>Frames that cannot be read give a <see cref="HardwareException"/> naming the frame and the sizes, before any
/// byte beyond the frame is touched; API misuse gives an argument or state error naming what is wrong.</summary>
public sealed class FramePreprocessorErrorTests
{
    private static readonly ImagePreprocessing Gray = PreprocessingPresets.FashionMnist;

    private static FramePreprocessor Int8() => new(Gray, new BackendInput("pixels", [1, 1, 28, 28], true, 1f / 255, -128));

    private static string Fails(Frame frame)
    {
        var codes = new sbyte[Gray.ElementCount];
        return Assert.Throws<HardwareException>(() => Int8().Run(frame, codes)).Message;
    }

    [Theory]
    [InlineData(PixelFormat.Yuyv, 2)]
    [InlineData(PixelFormat.Rgb24, 3)]
    [InlineData(PixelFormat.Gray8, 1)]
    public void Truncated_raw_frames_name_the_frame_and_the_sizes(PixelFormat format, int pixelBytes)
    {
        int bytesPerLine = 32 * pixelBytes + 4;
        var whole = TestFrames.Raw(format, 32, 24, bytesPerLine, (y, x, c) => (byte)(x + y + c), sequence: 17);
        // One byte short of the last row: the last row's pixels fit, but the frame is not bytesPerLine·height long.
        var truncated = whole with { Data = whole.Data[..(bytesPerLine * 24 - 1)] };
        var message = Fails(truncated);
        Assert.Contains("frame #17", message);
        Assert.Contains($"{bytesPerLine * 24 - 1} bytes", message);
        Assert.Contains($"24 rows of {bytesPerLine} bytes need {bytesPerLine * 24}", message);

        var named = Fails(truncated with { Data = whole.Data[..100], Name = "cam-0042.raw" });
        Assert.Contains("frame 'cam-0042.raw'", named);
        Assert.Contains("has 100 bytes", named);
    }

    [Fact]
    public void A_row_stride_below_the_width_is_refused()
    {
        var frame = TestFrames.Raw(PixelFormat.Rgb24, 10, 4, 40, (_, _, _) => 1) with { Format = new FrameFormat(10, 4, PixelFormat.Rgb24, 29) };
        Assert.Contains("29 bytes per line cannot hold 10 Rgb24 pixels (30 bytes)", Fails(frame));
    }

    [Fact]
    public void Packed_rows_may_leave_bytes_per_line_at_zero()
    {
        var packed = TestFrames.Raw(PixelFormat.Gray8, 28, 28, 28, (y, x, _) => (byte)(y * 9 + x)) with { Format = new FrameFormat(28, 28, PixelFormat.Gray8, 0) };
        var codes = new sbyte[Gray.ElementCount];
        Int8().Run(packed, codes);
        var image = new PixelImage(28, 28, 1, packed.Data.ToArray());
        Assert.Equal(PreprocessingReference.Codes(image, Gray, ImageTensorLayout.Nchw, 1f / 255, -128), codes);
    }

    [Fact]
    public void Odd_yuyv_widths_empty_sizes_and_unknown_formats_are_refused()
    {
        var odd = new Frame(new FrameFormat(7, 2, PixelFormat.Yuyv, 16), new byte[32], 3, DateTimeOffset.UnixEpoch);
        Assert.Contains("even width, not 7", Fails(odd));
        var empty = new Frame(new FrameFormat(0, 0, PixelFormat.Rgb24, 0), new byte[32], 4, DateTimeOffset.UnixEpoch);
        Assert.Contains("positive size, got 0x0", Fails(empty));
        var unknown = new Frame(new FrameFormat(4, 4, (PixelFormat)42, 4), new byte[16], 5, DateTimeOffset.UnixEpoch);
        var message = Fails(unknown);
        Assert.Contains("frame #5", message);
        Assert.Contains("pixel format 42 is not supported", message);
    }

    [Fact]
    public void Undecodable_encoded_frames_name_the_frame()
    {
        var notAnImage = new Frame(new FrameFormat(0, 0, PixelFormat.Mjpeg, 0), "hello, not a jpeg"u8.ToArray(), 8, DateTimeOffset.UnixEpoch);
        var message = Fails(notAnImage);
        Assert.Contains("frame #8", message);
        Assert.Contains("cannot decode", message);

        var empty = new Frame(new FrameFormat(0, 0, PixelFormat.EncodedFile, 0), Array.Empty<byte>(), 9, DateTimeOffset.UnixEpoch, "blank.png");
        Assert.Contains("frame 'blank.png'", Fails(empty));

        // A JPEG cut short (a camera buffer filled only in part) and a PNG cut inside its data.
        var jpeg = File.ReadAllBytes(PreprocessingMaterial.DataFile("gradient-64x48.jpg"));
        var cutJpeg = new Frame(new FrameFormat(64, 48, PixelFormat.Mjpeg, 0), jpeg.AsMemory(0, 200), 10, DateTimeOffset.UnixEpoch);
        Assert.Contains("frame #10", Fails(cutJpeg));
        var png = File.ReadAllBytes(PreprocessingMaterial.FashionMnistSamples()[0]);
        var cutPng = new Frame(new FrameFormat(0, 0, PixelFormat.EncodedFile, 0), png.AsMemory(0, png.Length / 2), 11, DateTimeOffset.UnixEpoch, "half.png");
        Assert.Contains("frame 'half.png'", Fails(cutPng));
    }

    [Fact]
    public void Misuse_names_the_input()
    {
        var frame = TestFrames.Raw(PixelFormat.Gray8, 28, 28, 28, (_, _, _) => 0);
        var int8 = Int8();
        Assert.Contains("takes int8 codes, not floats", Assert.Throws<InvalidOperationException>(() => int8.Run(frame, new float[784])).Message);
        Assert.Contains("holds 700 int8 values", Assert.Throws<ArgumentException>(() => int8.Run(frame, new sbyte[700])).Message);
        var floats = new FramePreprocessor(Gray, new BackendInput("pixels", [1, 1, 28, 28], false));
        Assert.Contains("input 'pixels' takes floats", Assert.Throws<InvalidOperationException>(() => floats.Run(frame, new sbyte[784])).Message);
        Assert.Contains("holds 10 floats", Assert.Throws<ArgumentException>(() => floats.Run(frame, new float[10])).Message);

        using var other = new ArrayBackend(new BackendInput("other", [1, 1, 28, 28], true, 0.5f, 0));
        Assert.Contains("input 'other' is not the input 'pixels'", Assert.Throws<ArgumentException>(() => int8.Write(frame, other)).Message);
    }
}
