using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Preprocessing;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Tests.Preprocessing;

/// <summary>On real images, the frame preprocessor writes exactly what the runtime's float path computes on the decoded
/// image (<see cref="ImagePreprocessor"/>), and int8 codes equal to quantizing that float tensor, whatever the frame
/// format carrying the pixels (an encoded file, an Rgb24/Gray8 camera frame with padded rows) and the tensor layout.</summary>
public sealed class FramePreprocessorImageTests
{
    private static BackendInput Int8Input(ImagePreprocessing p, ImageTensorLayout layout, float scale, int zeroPoint) =>
        new("image", Shape(p, layout), IsInt8: true, scale, zeroPoint);

    private static BackendInput FloatInput(ImagePreprocessing p, ImageTensorLayout layout) => new("image", Shape(p, layout), IsInt8: false);

    private static int[] Shape(ImagePreprocessing p, ImageTensorLayout layout) =>
        layout == ImageTensorLayout.Nchw ? [1, p.Channels, p.Height, p.Width] : [1, p.Height, p.Width, p.Channels];

    [Theory]
    [InlineData(ImageTensorLayout.Nchw)]
    [InlineData(ImageTensorLayout.Nhwc)]
    public void Fashion_mnist_samples_match_the_float_path_and_its_quantization(ImageTensorLayout layout)
    {
        var p = PreprocessingPresets.FashionMnist;
        // The golden int8 model's input range is [0, 1]: 1/255 with zero point −128 maps it onto the codes exactly;
        // 1/200 with zero point −100 saturates the top and rounds half-way values.
        (float Scale, int ZeroPoint)[] quantizations = [(1f / 255, -128), (1f / 200, -100)];
        var samples = PreprocessingMaterial.FashionMnistSamples();
        Assert.Equal(10, samples.Length);
        var floats = new FramePreprocessor(p, FloatInput(p, layout));
        var int8 = quantizations.Select(q => new FramePreprocessor(p, Int8Input(p, layout, q.Scale, q.ZeroPoint))).ToArray();
        foreach (var path in samples)
        {
            var encoded = TestFrames.Encoded(path);
            var image = EncodedImageDecoder.Decode(encoded.Data, path);
            foreach (var frame in new[] { encoded, TestFrames.FromImage(image, rowPadding: 5, Path.GetFileName(path)) })
            {
                // Sentinels: every element, padding included, must be written.
                var tensor = Enumerable.Repeat(float.NaN, p.ElementCount).ToArray();
                floats.Run(frame, tensor);
                Assert.Equal(PreprocessingReference.Floats(image, p, layout), tensor);
                for (int q = 0; q < quantizations.Length; q++)
                {
                    var codes = Enumerable.Repeat((sbyte)99, p.ElementCount).ToArray();
                    int8[q].Run(frame, codes);
                    Assert.Equal(PreprocessingReference.Codes(image, p, layout, quantizations[q].Scale, quantizations[q].ZeroPoint), codes);
                }
            }
        }
    }

    public static TheoryData<string, ImageTensorLayout> TextLineSettings() => new()
    {
        { "paddle-cls", ImageTensorLayout.Nchw },
        { "paddle-cls", ImageTensorLayout.Nhwc },
        { "paddle-cls-antialiased", ImageTensorLayout.Nchw },
        { "imagenet-crop", ImageTensorLayout.Nchw },
        { "gray-stretch", ImageTensorLayout.Nchw },
        { "grayscale-rgb", ImageTensorLayout.Nhwc },
    };

    [Theory]
    [MemberData(nameof(TextLineSettings))]
    public void Text_lines_match_the_float_path_and_its_quantization(string setting, ImageTensorLayout layout)
    {
        var p = setting switch
        {
            "paddle-cls" => PreprocessingPresets.PaddleClassifier,
            "paddle-cls-antialiased" => PreprocessingPresets.PaddleClassifier with { Antialias = true },
            // A crop smaller than the lines' height keeps the test fast while cutting a real window.
            "imagenet-crop" => PreprocessingPresets.ImageNet with { Height = 24, Width = 24 },
            "gray-stretch" => new ImagePreprocessing { Height = 28, Width = 56, Channels = 1, Mean = [0.2f], Std = [0.7f] },
            "grayscale-rgb" => PreprocessingPresets.PaddleClassifier with { Grayscale = true, Bgr = false, Mean = [0.1f, 0.5f, 0.9f] },
            _ => throw new ArgumentException(setting),
        };
        // PaddleOCR's [-1, 1] range on the codes (2/255, zero point 0) and a scale that saturates both ends.
        (float Scale, int ZeroPoint)[] quantizations = [(2f / 255, 0), (1f / 170, 9)];
        var floats = new FramePreprocessor(p, FloatInput(p, layout));
        var int8 = quantizations.Select(q => new FramePreprocessor(p, Int8Input(p, layout, q.Scale, q.ZeroPoint))).ToArray();
        var lines = PreprocessingMaterial.TextLines(perFolder: 6);
        Assert.NotEmpty(lines);
        foreach (var path in lines)
        {
            var encoded = TestFrames.Encoded(path);
            var image = EncodedImageDecoder.Decode(encoded.Data, path);
            foreach (var frame in new[] { encoded, TestFrames.FromImage(image, rowPadding: 3, Path.GetFileName(path)) })
            {
                // Sentinels: every element, padding included, must be written.
                var tensor = Enumerable.Repeat(float.NaN, p.ElementCount).ToArray();
                floats.Run(frame, tensor);
                Assert.Equal(PreprocessingReference.Floats(image, p, layout), tensor);
                for (int q = 0; q < quantizations.Length; q++)
                {
                    var codes = Enumerable.Repeat((sbyte)99, p.ElementCount).ToArray();
                    int8[q].Run(frame, codes);
                    Assert.Equal(PreprocessingReference.Codes(image, p, layout, quantizations[q].Scale, quantizations[q].ZeroPoint), codes);
                }
            }
        }
    }

    [Fact]
    public void Yuyv_frames_feed_the_rgb_or_the_luma_they_convert_to()
    {
        var frame = TestFrames.Yuyv(40, 30, 40 * 2 + 8, seed: 11);
        var data = frame.Data.ToArray();
        var rgb = new byte[40 * 30 * 3];
        var gray = new byte[40 * 30];
        YuyvToRgb.ToRgb(data, 40, 30, 88, rgb);
        YuyvToRgb.ToGray(data, 40, 30, 88, gray);

        var color = new ImagePreprocessing { Height = 16, Width = 20, Channels = 3, Bgr = true, Mean = [0.4f], Std = [0.3f] };
        var codes = new sbyte[color.ElementCount];
        new FramePreprocessor(color, Int8Input(color, ImageTensorLayout.Nchw, 0.02f, -3)).Run(frame, codes);
        Assert.Equal(PreprocessingReference.Codes(new PixelImage(30, 40, 3, rgb), color, ImageTensorLayout.Nchw, 0.02f, -3), codes);

        // A gray model reads Y directly: the luma image, not the luma of the converted RGB.
        var mono = new ImagePreprocessing { Height = 28, Width = 28, Channels = 1 };
        var floats = new float[mono.ElementCount];
        new FramePreprocessor(mono, FloatInput(mono, ImageTensorLayout.Nchw)).Run(frame, floats);
        Assert.Equal(PreprocessingReference.Floats(new PixelImage(30, 40, 1, gray), mono, ImageTensorLayout.Nchw), floats);
    }

    [Fact]
    public void Gray_frames_are_replicated_into_a_color_input()
    {
        var frame = TestFrames.Raw(PixelFormat.Gray8, 33, 21, 40, (y, x, _) => (byte)(y * 11 + x * 7));
        var image = new PixelImage(21, 33, 1, Enumerable.Range(0, 21 * 33).Select(i => (byte)(i / 33 * 11 + i % 33 * 7)).ToArray());
        var p = new ImagePreprocessing { Height = 12, Width = 12, Channels = 3, Fit = ImageFit.CenterCrop, ShortSide = 14, Mean = [0.1f, 0.2f, 0.3f] };
        var tensor = new float[p.ElementCount];
        new FramePreprocessor(p, FloatInput(p, ImageTensorLayout.Nhwc)).Run(frame, tensor);
        Assert.Equal(PreprocessingReference.Floats(image, p, ImageTensorLayout.Nhwc), tensor);
    }

    [Fact]
    public void Mjpeg_frames_decode_close_to_the_encoded_pattern()
    {
        // gradient-64x48.jpg: cjpeg -quality 95 -sample 1x1 of R = 4x, G = 5y, B = 128 (libjpeg's standard tables).
        var frame = TestFrames.Encoded(PreprocessingMaterial.DataFile("gradient-64x48.jpg"), PixelFormat.Mjpeg);
        var image = EncodedImageDecoder.Decode(frame.Data, "gradient-64x48.jpg");
        Assert.Equal((48, 64, 3), (image.Height, image.Width, image.Channels));
        long totalError = 0;
        int worst = 0;
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
            {
                int at = (y * 64 + x) * 3;
                int[] errors = [image.Pixels[at] - 4 * x, image.Pixels[at + 1] - 5 * y, image.Pixels[at + 2] - 128];
                foreach (var e in errors)
                {
                    totalError += Math.Abs(e);
                    worst = Math.Max(worst, Math.Abs(e));
                }
            }
        double meanError = totalError / (48.0 * 64 * 3);
        Assert.True(meanError < 1.5 && worst <= 8, $"JPEG decode is off the pattern by {meanError:F2} levels on average, {worst} at worst");

        var p = PreprocessingPresets.ImageNet with { Height = 32, Width = 32 };
        var codes = new sbyte[p.ElementCount];
        new FramePreprocessor(p, Int8Input(p, ImageTensorLayout.Nchw, 0.02f, 4)).Run(frame, codes);
        Assert.Equal(PreprocessingReference.Codes(image, p, ImageTensorLayout.Nchw, 0.02f, 4), codes);

        // A camera buffer zero-padded after the end-of-image marker is still a whole JPEG.
        var padded = frame.Data.ToArray().Concat(new byte[100]).ToArray();
        Assert.Equal(image.Pixels, EncodedImageDecoder.Decode(padded, "padded").Pixels);
    }

    [Fact]
    public void A_frame_size_change_mid_stream_is_replanned()
    {
        var p = PreprocessingPresets.PaddleClassifier;
        var preprocessor = new FramePreprocessor(p, Int8Input(p, ImageTensorLayout.Nchw, 2f / 255, 0));
        Frame[] stream =
        [
            TestFrames.Yuyv(64, 20, 128, seed: 1),
            TestFrames.Yuyv(64, 20, 128, seed: 2),
            TestFrames.Yuyv(320, 32, 656, seed: 3),
            TestFrames.Raw(PixelFormat.Rgb24, 50, 40, 150, (y, x, c) => (byte)(y * x + c)),
            TestFrames.Yuyv(64, 20, 128, seed: 4),
        ];
        var floats = new FramePreprocessor(p, FloatInput(p, ImageTensorLayout.Nchw));
        var codes = new sbyte[p.ElementCount];
        var tensor = new float[p.ElementCount];
        foreach (var frame in stream)
        {
            // Stale values must not survive a change to a narrower line (more padding).
            Array.Fill(codes, (sbyte)99);
            Array.Fill(tensor, float.NaN);
            preprocessor.Run(frame, codes);
            floats.Run(frame, tensor);
            Assert.Equal(PreprocessingReference.Codes(RgbOf(frame), p, ImageTensorLayout.Nchw, 2f / 255, 0), codes);
            Assert.Equal(PreprocessingReference.Floats(RgbOf(frame), p, ImageTensorLayout.Nchw), tensor);
        }
    }

    [Fact]
    public void Writes_into_the_backend_input_of_its_type()
    {
        var p = PreprocessingPresets.FashionMnist;
        var frame = TestFrames.Yuyv(36, 36, 72, seed: 5);
        var luma = new byte[36 * 36];
        YuyvToRgb.ToGray(frame.Data.Span, 36, 36, 72, luma);
        var image = new PixelImage(36, 36, 1, luma);

        using var int8Backend = new ArrayBackend(new BackendInput("x", [1, 28, 28, 1], IsInt8: true, 1f / 255, -128));
        var int8 = FramePreprocessor.For(int8Backend, p);
        Assert.Equal(ImageTensorLayout.Nhwc, int8.Layout);
        int8.Write(frame, int8Backend);
        Assert.Equal(PreprocessingReference.Codes(image, p, ImageTensorLayout.Nhwc, 1f / 255, -128), int8Backend.Codes);

        using var floatBackend = new ArrayBackend(new BackendInput("x", [1, 1, 28, 28], IsInt8: false));
        var floats = FramePreprocessor.For(floatBackend);
        floats.Write(frame, floatBackend);
        // Without settings: stretch to the input, pixel / 255.
        Assert.Equal(PreprocessingReference.Floats(image, new ImagePreprocessing { Height = 28, Width = 28, Channels = 1 }, ImageTensorLayout.Nchw), floatBackend.Floats);
    }

    private static PixelImage RgbOf(Frame frame)
    {
        var f = frame.Format;
        var rgb = new byte[f.Width * f.Height * 3];
        if (f.PixelFormat == PixelFormat.Yuyv) YuyvToRgb.ToRgb(frame.Data.Span, f.Width, f.Height, f.BytesPerLine, rgb);
        else
            for (int y = 0; y < f.Height; y++)
                frame.Data.Span.Slice(y * f.BytesPerLine, f.Width * 3).CopyTo(rgb.AsSpan(y * f.Width * 3));
        return new PixelImage(f.Height, f.Width, 3, rgb);
    }
}
