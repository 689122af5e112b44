using EdgeCnn.Runtime.Preprocessing;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Preprocessing;

/// <summary><see cref="Int8ImagePreprocessor"/> against its definition: the float preprocessing, then
/// <see cref="Qs8QuantizeReference"/>, then (for NHWC) a transpose — the same codes, element for element.</summary>
public sealed class Int8ImagePreprocessorTests
{
    private static ImagePreprocessing Paddle => new()
    {
        Height = 48, Width = 192, Fit = ImageFit.PadRight, Mean = [0.5f], Std = [0.5f], Bgr = true, Antialias = true,
    };

    /// <summary>Quantize the float path's tensor, then lay it out.</summary>
    private static sbyte[] Expected(PixelImage image, ImagePreprocessing p, float scale, int zeroPoint, ImageTensorLayout layout)
    {
        var floats = ImagePreprocessor.Run(image, p);
        var codes = new sbyte[floats.Length];
        Qs8QuantizeReference.Run(floats, scale, zeroPoint, codes);
        if (layout == ImageTensorLayout.Nchw) return codes;
        var nhwc = new sbyte[codes.Length];
        int plane = p.Height * p.Width;
        for (int c = 0; c < p.Channels; c++)
            for (int i = 0; i < plane; i++)
                nhwc[i * p.Channels + c] = codes[c * plane + i];
        return nhwc;
    }

    private static sbyte[] Actual(PixelImage image, ImagePreprocessing p, float scale, int zeroPoint, ImageTensorLayout layout)
    {
        var codes = new sbyte[p.ElementCount];
        // Pre-filled so an element the fused path forgets shows up.
        codes.AsSpan().Fill(sbyte.MinValue);
        new Int8ImagePreprocessor(p, scale, zeroPoint, layout).Run(image, codes);
        return codes;
    }

    private static PixelImage RandomImage(Random rng, int height, int width, int channels)
    {
        var pixels = new byte[height * width * channels];
        rng.NextBytes(pixels);
        return new PixelImage(height, width, channels, pixels);
    }

    public static TheoryData<string> Settings => new(SyntheticCases.Keys);

    private static readonly Dictionary<string, (ImagePreprocessing P, int ImageChannels, float Scale, int ZeroPoint)> SyntheticCases = new()
    {
        ["stretch rgb imagenet"] = (new() { Height = 7, Width = 9, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f] }, 3, 0.0187f, -14),
        ["stretch bgr antialias"] = (new() { Height = 5, Width = 4, Bgr = true, Antialias = true, Mean = [0.5f], Std = [0.5f] }, 3, 2f / 255, 0),
        ["pad right paddle"] = (Paddle with { Height = 6, Width = 40 }, 3, 1f / 127, 0),
        ["pad right bilinear gray model"] = (new() { Height = 8, Width = 30, Channels = 1, Fit = ImageFit.PadRight }, 3, 1f / 255, -128),
        ["center crop enlarge"] = (new() { Height = 16, Width = 16, Fit = ImageFit.CenterCrop, Mean = [0.1f], Std = [0.3f] }, 3, 0.013f, -60),
        ["gray source three channels"] = (new() { Height = 6, Width = 6, Mean = [0.2f, 0.4f, 0.6f], Std = [0.5f, 0.25f, 1f] }, 1, 0.011f, 5),
        ["grayscale flag"] = (new() { Height = 9, Width = 3, Grayscale = true, Antialias = true }, 3, 1f / 255, -128),
        // A scale too small for the range: most codes saturate, which must saturate the same way.
        ["saturating"] = (new() { Height = 4, Width = 5, Mean = [0.5f], Std = [0.1f] }, 3, 0.01f, 100),
        // Exact midpoints: x/255 on a 1/255 grid lands half-way between codes of scale 2/255.
        ["midpoints"] = (new() { Height = 3, Width = 3, Channels = 1 }, 1, 2f / 255, 3),
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Tiny_synthetic_images_quantize_exactly_as_the_float_path(string name)
    {
        var (p, imageChannels, scale, zeroPoint) = SyntheticCases[name];
        var rng = new Random(name.Length);
        foreach (var (h, w) in new[] { (1, 1), (2, 3), (13, 5), (4, 40), (31, 17) })
        {
            var image = RandomImage(rng, h, w, imageChannels);
            foreach (var layout in new[] { ImageTensorLayout.Nchw, ImageTensorLayout.Nhwc })
                Assert.Equal(Expected(image, p, scale, zeroPoint, layout), Actual(image, p, scale, zeroPoint, layout));
        }
    }

    [Fact]
    public void Every_byte_value_gets_the_code_of_its_normalized_float()
    {
        // A 1×256 gray ramp through a 1×256 stretch is the identity resample: each byte's code shows directly.
        var ramp = new PixelImage(1, 256, 1, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        var p = new ImagePreprocessing { Height = 1, Width = 256, Channels = 1, Mean = [0.3f], Std = [0.7f] };
        var codes = Actual(ramp, p, 0.005f, -20, ImageTensorLayout.Nchw);
        for (int b = 0; b < 256; b++)
            Assert.Equal(Qs8QuantizeReference.Quantize((b / 255f - 0.3f) / 0.7f, 0.005f, -20), codes[b]);
    }

    [Fact]
    public void Real_text_images_quantize_exactly_as_the_float_path()
    {
        // The PaddleOCR classifier's preprocessing and the input params its int8 model uses ([-1, 1] in codes).
        var p = Paddle;
        var nchw = new Int8ImagePreprocessor(p, 2f / 255, 0, ImageTensorLayout.Nchw);
        var nhwc = new Int8ImagePreprocessor(p, 0.0079f, -3, ImageTensorLayout.Nhwc);
        var codes = new sbyte[p.ElementCount];
        var images = TextImages.All();
        Assert.NotEmpty(images);
        foreach (var image in images)
        {
            var pixels = new PixelImage(image.Height, image.Width, 3, image.Rgb);
            nchw.Run(pixels, codes);
            Assert.True(Expected(pixels, p, 2f / 255, 0, ImageTensorLayout.Nchw).AsSpan().SequenceEqual(codes), $"{image}: NCHW codes differ");
            nhwc.Run(pixels, codes);
            Assert.True(Expected(pixels, p, 0.0079f, -3, ImageTensorLayout.Nhwc).AsSpan().SequenceEqual(codes), $"{image}: NHWC codes differ");
        }
    }

    [Fact]
    public void Real_images_through_an_imagenet_crop_quantize_exactly()
    {
        var p = new ImagePreprocessing
        {
            Height = 32, Width = 32, Fit = ImageFit.CenterCrop, Antialias = true, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f],
        };
        var pre = new Int8ImagePreprocessor(p, 0.0186f, -9, ImageTensorLayout.Nhwc);
        var codes = new sbyte[p.ElementCount];
        foreach (var image in TextImages.All().Take(40))
        {
            var pixels = new PixelImage(image.Height, image.Width, 3, image.Rgb);
            pre.Run(pixels, codes);
            Assert.True(Expected(pixels, p, 0.0186f, -9, ImageTensorLayout.Nhwc).AsSpan().SequenceEqual(codes), $"{image}: codes differ");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Same_size_frames_allocate_nothing_after_the_first(bool antialias)
    {
        // Gray conversion, padding and the resampling plan all in play.
        var p = new ImagePreprocessing { Height = 24, Width = 64, Channels = 1, Fit = ImageFit.PadRight, Antialias = antialias, Mean = [0.5f], Std = [0.5f] };
        var pre = new Int8ImagePreprocessor(p, 2f / 255, 0);
        var rng = new Random(4);
        var frames = Enumerable.Range(0, 4).Select(_ => RandomImage(rng, 30, 50, 3)).ToArray();
        var codes = new sbyte[p.ElementCount];
        pre.Run(frames[0], codes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) pre.Run(frames[i % frames.Length], codes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Expected(frames[49 % frames.Length], p, 2f / 255, 0, ImageTensorLayout.Nchw), codes);
    }

    [Fact]
    public void A_new_image_size_replans_and_stays_exact()
    {
        var p = Paddle with { Height = 12, Width = 48 };
        var pre = new Int8ImagePreprocessor(p, 2f / 255, 0);
        var rng = new Random(9);
        var codes = new sbyte[p.ElementCount];
        foreach (var (h, w) in new[] { (20, 30), (12, 100), (20, 30), (7, 7) })
        {
            var image = RandomImage(rng, h, w, 3);
            pre.Run(image, codes);
            Assert.Equal(Expected(image, p, 2f / 255, 0, ImageTensorLayout.Nchw), codes);
        }
    }

    [Fact]
    public void For_a_model_input_takes_its_params_and_layout()
    {
        var p = new ImagePreprocessing { Height = 4, Width = 6 };
        var quant = QuantParams.PerTensor(0.02f, -5);
        var nchw = Int8ImagePreprocessor.For(new TensorInfo("x", DataType.Int8, [1, 3, 4, 6], TensorKind.Input) { Quant = quant }, p);
        var nhwc = Int8ImagePreprocessor.For(new TensorInfo("x", DataType.Int8, [1, 4, 6, 3], TensorKind.Input) { Quant = quant }, p);
        Assert.Equal(ImageTensorLayout.Nchw, nchw.Layout);
        Assert.Equal(ImageTensorLayout.Nhwc, nhwc.Layout);
        var image = RandomImage(new Random(2), 5, 5, 3);
        var codes = new sbyte[p.ElementCount];
        nhwc.Run(image, codes);
        Assert.Equal(Expected(image, p, 0.02f, -5, ImageTensorLayout.Nhwc), codes);

        var e = Assert.Throws<ArgumentException>(() => Int8ImagePreprocessor.For(new TensorInfo("f", DataType.Float32, [1, 3, 4, 6], TensorKind.Input), p));
        Assert.Contains("'f'", e.Message);
        e = Assert.Throws<ArgumentException>(() => Int8ImagePreprocessor.For(new TensorInfo("s", DataType.Int8, [1, 3, 6, 4], TensorKind.Input) { Quant = quant }, p));
        Assert.Contains("'s'", e.Message);
        Assert.Contains("[1,3,4,6]", e.Message);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var p = new ImagePreprocessing { Height = 2, Width = 2 };
        var pre = new Int8ImagePreprocessor(p, 0.1f, 0);
        var e = Assert.Throws<ArgumentException>(() => pre.Run(new PixelImage(2, 2, 3, new byte[12]), new sbyte[11]));
        Assert.Contains("12", e.Message);
        Assert.Throws<ArgumentException>(() => new Int8ImagePreprocessor(p, 0f, 0));
        Assert.Throws<ArgumentException>(() => new Int8ImagePreprocessor(p, float.NaN, 0));
        Assert.Throws<ArgumentException>(() => new Int8ImagePreprocessor(p, 0.1f, 128));
        Assert.Throws<ArgumentException>(() => new Int8ImagePreprocessor(p with { Std = [0f] }, 0.1f, 0));
    }
}
