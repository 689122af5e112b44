using System.Buffers.Binary;
using EdgeCnn.Hardware.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>BMP files written byte by byte here decode to their known pixels: RGB stays RGB, a 32-bit file's alpha is
/// dropped, gray PNGs stay one channel; a frame that is a slice of a larger buffer decodes like a whole one.</summary>
public sealed class EncodedImageDecoderTests
{
    // 3x2 pixels, top row first: red, green, blue / white, black, a gray.
    private static readonly byte[][] Pixels = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0], [90, 90, 90]];

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    public void Bmp_pixels_decode_to_rgb(int bitsPerPixel)
    {
        var image = EncodedImageDecoder.Decode(Bmp(bitsPerPixel), "known.bmp");
        Assert.Equal((2, 3, 3), (image.Height, image.Width, image.Channels));
        Assert.Equal(Pixels.SelectMany(p => p).ToArray(), image.Pixels);
    }

    [Fact]
    public void A_slice_of_a_larger_buffer_decodes_like_the_whole_file()
    {
        var bmp = Bmp(24);
        var buffer = new byte[bmp.Length + 40];
        bmp.CopyTo(buffer, 16);
        Assert.Equal(EncodedImageDecoder.Decode(bmp, "whole").Pixels, EncodedImageDecoder.Decode(buffer.AsMemory(16, bmp.Length), "slice").Pixels);
    }

    [Fact]
    public void Gray_pngs_stay_one_channel()
    {
        var image = EncodedImageDecoder.Decode(File.ReadAllBytes(PreprocessingMaterial.FashionMnistSamples()[1]), "trouser");
        Assert.Equal((28, 28, 1), (image.Height, image.Width, image.Channels));
        Assert.Contains(image.Pixels, b => b > 100);
    }

    /// <summary>A bottom-up BITMAPINFOHEADER file, BI_RGB: B, G, R (and alpha 255 at 32 bits), rows padded to 4 bytes.</summary>
    private static byte[] Bmp(int bitsPerPixel)
    {
        const int width = 3, height = 2;
        int bytesPerPixel = bitsPerPixel / 8;
        int stride = (width * bytesPerPixel + 3) / 4 * 4;
        var file = new byte[54 + stride * height];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), (short)bitsPerPixel);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var rgb = Pixels[y * width + x];
                int at = 54 + (height - 1 - y) * stride + x * bytesPerPixel;
                (file[at], file[at + 1], file[at + 2]) = (rgb[2], rgb[1], rgb[0]);
                if (bytesPerPixel == 4) file[at + 3] = 255;
            }
        return file;
    }
}
