using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Output;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Output;

public sealed class FrameSaverTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgecnn-frames-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static TriggerEvent Trigger(long n) => new("test", new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddSeconds(n), n);

    private static Frame FrameOf(FrameFormat format, byte[] data, long n = 1) => new(format, data, n, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Encoded_frames_are_written_as_captured_with_the_extension_their_bytes_say()
    {
        var saver = new FrameSaver(_directory, 10);
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 1, 2, 3];
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9];
        string p = saver.Save(FrameOf(new FrameFormat(0, 0, PixelFormat.EncodedFile, 0), png), Trigger(1));
        string j = saver.Save(FrameOf(new FrameFormat(640, 480, PixelFormat.Mjpeg, 0), jpeg), Trigger(2));
        Assert.EndsWith("-000001.png", p);
        Assert.EndsWith("-000002.jpg", j);
        Assert.Equal(png, File.ReadAllBytes(p));
        Assert.Equal(jpeg, File.ReadAllBytes(j));
    }

    [Fact]
    public void Yuyv_becomes_a_ppm_with_bt601_colors()
    {
        var saver = new FrameSaver(_directory, 10);
        // 2x2 pixels, rows padded to 6 bytes: (Y0 U Y1 V) per pixel pair.
        byte[] yuyv = [82, 90, 145, 240, 0xEE, 0xEE, 41, 240, 235, 110, 0xEE, 0xEE];
        string path = saver.Save(FrameOf(new FrameFormat(2, 2, PixelFormat.Yuyv, 6), yuyv), Trigger(1));
        Assert.EndsWith(".ppm", path);
        byte[] file = File.ReadAllBytes(path);
        byte[] header = "P6\n2 2\n255\n"u8.ToArray();
        Assert.Equal(header, file[..header.Length]);
        byte[] rgb = file[header.Length..];
        Assert.Equal(12, rgb.Length);

        (int y, int u, int v)[] pixels = [(82, 90, 240), (145, 90, 240), (41, 240, 110), (235, 240, 110)];
        for (int i = 0; i < 4; i++)
        {
            var (y, u, v) = pixels[i];
            // BT.601 limited range in floating point, independent of the saver's fixed-point version.
            double r = 1.164 * (y - 16) + 1.596 * (v - 128);
            double g = 1.164 * (y - 16) - 0.391 * (u - 128) - 0.813 * (v - 128);
            double b = 1.164 * (y - 16) + 2.018 * (u - 128);
            Assert.InRange(rgb[3 * i], Math.Clamp(r, 0, 255) - 1.5, Math.Clamp(r, 0, 255) + 1.5);
            Assert.InRange(rgb[3 * i + 1], Math.Clamp(g, 0, 255) - 1.5, Math.Clamp(g, 0, 255) + 1.5);
            Assert.InRange(rgb[3 * i + 2], Math.Clamp(b, 0, 255) - 1.5, Math.Clamp(b, 0, 255) + 1.5);
        }
    }

    [Fact]
    public void Gray_rows_lose_their_padding_in_a_pgm()
    {
        var saver = new FrameSaver(_directory, 10);
        byte[] gray = [1, 2, 3, 0, 4, 5, 6, 0];
        string path = saver.Save(FrameOf(new FrameFormat(3, 2, PixelFormat.Gray8, 4), gray), Trigger(1));
        byte[] file = File.ReadAllBytes(path);
        Assert.Equal([.. "P5\n3 2\n255\n"u8.ToArray(), 1, 2, 3, 4, 5, 6], file);
    }

    [Fact]
    public void At_most_max_files_are_kept_counting_those_of_an_earlier_run()
    {
        var first = new FrameSaver(_directory, 3);
        byte[] jpeg = [0xFF, 0xD8, 1];
        var format = new FrameFormat(0, 0, PixelFormat.Mjpeg, 0);
        for (int n = 1; n <= 2; n++) first.Save(FrameOf(format, jpeg, n), Trigger(n));
        var second = new FrameSaver(_directory, 3);
        for (int n = 3; n <= 5; n++) second.Save(FrameOf(format, jpeg, n), Trigger(n));

        var names = Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, names.Length);
        Assert.EndsWith("-000003.jpg", names[0]);
        Assert.EndsWith("-000005.jpg", names[2]);
    }

    [Fact]
    public void A_frame_shorter_than_its_format_is_rejected_naming_the_sizes()
    {
        var saver = new FrameSaver(_directory, 3);
        var ex = Assert.Throws<HardwareException>(() => saver.Save(FrameOf(new FrameFormat(4, 4, PixelFormat.Rgb24, 12), new byte[10]), Trigger(1)));
        Assert.Contains("needs 48 bytes", ex.Message);
        Assert.Contains("has 10", ex.Message);
    }
}
