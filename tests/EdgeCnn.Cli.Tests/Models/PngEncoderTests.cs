using EdgeCnn.Models;
using StbImageSharp;

namespace EdgeCnn.Cli.Tests.Models;

public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(200, 120)] // more than 64 KiB of scanlines: several stored deflate blocks
    public void An_independent_decoder_reads_back_the_pixels(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 31 + i / 7);
        var png = PngEncoder.EncodeRgb(width, height, rgb);
        var decoded = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(rgb, decoded.Data);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(28, 28)]
    [InlineData(300, 240)] // several stored deflate blocks
    public void An_independent_decoder_reads_back_grayscale_pixels(int width, int height)
    {
        var gray = new byte[width * height];
        for (int i = 0; i < gray.Length; i++) gray[i] = (byte)(i * 13 + i / 5);
        var png = PngEncoder.EncodeGray(width, height, gray);
        Assert.Equal(0, png[25]); // IHDR color type: grayscale, one byte per pixel
        var decoded = ImageResult.FromMemory(png, ColorComponents.Grey);
        Assert.Equal(ColorComponents.Grey, decoded.SourceComp);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(gray, decoded.Data);
    }

    [Fact]
    public void Rejects_a_pixel_count_that_does_not_fit()
    {
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgb(2, 2, new byte[11]));
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeGray(2, 2, new byte[12]));
    }
}
