using EdgeCnn.Cli.IO;
using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Models;

namespace EdgeCnn.Cli.Tests.IO;

public class ImageTensorTests
{
    // A 2×2 RGB image: red, green / blue, white (row by row).
    private static readonly byte[] Pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];
    private static byte[] Png => PngEncoder.EncodeRgb(2, 2, Pixels);

    [Fact]
    public void Decodes_to_nchw_scaled_to_unit_range()
    {
        var t = ImageTensor.FromEncoded(Png, "p.png", new ImagePreprocessing { Height = 2, Width = 2 });
        Assert.Equal([1, 3, 2, 2], t.Shape);
        // Channel planes: R = [1,0,0,1], G = [0,1,0,1], B = [0,0,1,1].
        Assert.Equal([1f, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1], t.Floats);
    }

    [Fact]
    public void Bgr_swaps_the_channel_planes()
    {
        var t = ImageTensor.FromEncoded(Png, "p.png", new ImagePreprocessing { Height = 2, Width = 2, Bgr = true });
        Assert.Equal([0f, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1], t.Floats);
    }

    [Fact]
    public void Normalizes_per_channel_after_scaling()
    {
        var p = new ImagePreprocessing { Height = 2, Width = 2, Mean = [0.5f, 0.25f, 0f], Std = [0.5f, 0.25f, 2f] };
        var t = ImageTensor.FromEncoded(Png, "p.png", p);
        float R(float x) => (x - 0.5f) / 0.5f;
        float G(float x) => (x - 0.25f) / 0.25f;
        float B(float x) => x / 2f;
        Assert.Equal([R(1), R(0), R(0), R(1), G(0), G(1), G(0), G(1), B(0), B(0), B(1), B(1)], t.Floats);
    }

    [Fact]
    public void Grayscale_inputs_get_one_channel()
    {
        var gray = PngEncoder.EncodeRgb(1, 1, [90, 90, 90]);
        var t = ImageTensor.FromEncoded(gray, "g.png", new ImagePreprocessing { Height = 1, Width = 1, Channels = 1 });
        Assert.Equal([1, 1, 1, 1], t.Shape);
        Assert.Equal(90f / 255f, t.Floats![0], 1e-6f);
    }

    [Fact]
    public void Resizes_a_real_sample_to_the_requested_size()
    {
        var t = ImageTensor.Load(Support.RepositoryPaths.Sample("gradient.png"), new ImagePreprocessing { Height = 48, Width = 20 });
        Assert.Equal([1, 3, 48, 20], t.Shape);
        Assert.All(t.Floats!, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Garbage_is_an_error_naming_the_file()
    {
        var ex = Assert.Throws<InputFileException>(() =>
            ImageTensor.FromEncoded("not an image at all"u8.ToArray(), "junk.png", new ImagePreprocessing { Height = 2, Width = 2 }));
        Assert.Contains("'junk.png'", ex.Message);
        Assert.Contains("decode", ex.Message);
    }

    [Fact]
    public void Bad_preprocessing_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 2, Width = 2, Std = [0f] }.Validate());
        Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 2, Width = 2, Mean = [0f, 1f] }.Validate());
        Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 0, Width = 2 }.Validate());
    }
}
