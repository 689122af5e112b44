using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Compiler.Tests.Preprocessing;

/// <summary>Fits, normalization, channel order and padding against values derived by hand from
/// docs/preprocessing.md (PaddleOCR's resize_norm_img, torchvision's Resize + CenterCrop).</summary>
public sealed class ImagePreprocessorTests
{
    private static ImagePreprocessing Paddle => new() { Height = 48, Width = 192, Fit = ImageFit.PadRight, Mean = [0.5f], Std = [0.5f], Bgr = true };

    [Theory]
    [InlineData(39, 334, 192)] // ⌈48·334/39⌉ = 412 > 192: capped
    [InlineData(48, 96, 96)]   // exactly 96
    [InlineData(32, 10, 15)]   // ⌈48·10/32⌉ = ⌈15⌉ = 15
    [InlineData(31, 10, 16)]   // ⌈15.48⌉ = 16
    [InlineData(500, 2, 1)]    // ⌈0.192⌉ = 1
    [InlineData(10, 40, 192)]  // ⌈192⌉ = 192 exactly: not capped, the same width
    public void Pad_right_width_follows_paddle_ocr(int h, int w, int expectedWidth)
    {
        var g = ResizeGeometry.For(h, w, Paddle);
        Assert.Equal((48L, (long)expectedWidth, 0L, 0L, 48, expectedWidth), (g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth));
    }

    [Theory]
    [InlineData(375, 500, 256, 341, 16, 58)] // 341 = ⌊256·500/375⌋; left = round(58.5) = 58 (half to even)
    [InlineData(500, 375, 341, 256, 58, 16)]
    [InlineData(300, 300, 256, 256, 16, 16)]
    [InlineData(256, 481, 256, 481, 16, 128)] // left = round(128.5) = 128
    [InlineData(256, 483, 256, 483, 16, 130)] // left = round(129.5) = 130
    public void Center_crop_follows_torchvision(int h, int w, long resizedH, long resizedW, long top, long left)
    {
        var p = new ImagePreprocessing { Height = 224, Width = 224, Fit = ImageFit.CenterCrop };
        var g = ResizeGeometry.For(h, w, p);
        Assert.Equal((resizedH, resizedW, top, left), (g.ResizedHeight, g.ResizedWidth, g.Top, g.Left));
        Assert.Equal((224, 224), (g.ContentHeight, g.ContentWidth));
    }

    [Fact]
    public void Default_short_side_is_the_imagenet_ratio()
    {
        Assert.Equal(256, ImagePreprocessing.DefaultShortSide(224, 224));
        Assert.Equal(342, ImagePreprocessing.DefaultShortSide(299, 299)); // 341.7
        Assert.Equal(300, new ImagePreprocessing { Height = 224, Width = 224, Fit = ImageFit.CenterCrop, ShortSide = 300 }.ResolvedShortSide);
    }

    [Fact]
    public void Pad_right_normalizes_then_pads_with_zero_in_bgr_order()
    {
        // A 2×4 image into a 2×8 tensor: width ⌈2·4/2⌉ = 4; columns 4..7 are 0 (not (0/255 − 0.5)/0.5 = −1).
        var p = new ImagePreprocessing { Height = 2, Width = 8, Fit = ImageFit.PadRight, Mean = [0.5f], Std = [0.5f], Bgr = true };
        var pixels = new byte[2 * 4 * 3];
        for (int i = 0; i < 8; i++) { pixels[3 * i] = 255; pixels[3 * i + 1] = 0; pixels[3 * i + 2] = 51; }
        var t = ImagePreprocessor.Run(new PixelImage(2, 4, 3, pixels), p);
        float blue = (51 / 255f - 0.5f) / 0.5f, green = -1f, red = 1f;
        float[] Row(float v) => [v, v, v, v, 0, 0, 0, 0];
        Assert.Equal([.. Row(blue), .. Row(blue), .. Row(green), .. Row(green), .. Row(red), .. Row(red)], t);
    }

    [Fact]
    public void Per_channel_mean_and_std_follow_the_output_order()
    {
        var p = new ImagePreprocessing { Height = 1, Width = 1, Mean = [0.1f, 0.2f, 0.3f], Std = [0.5f, 0.25f, 2f] };
        var t = ImagePreprocessor.Run(new PixelImage(1, 1, 3, [255, 51, 0]), p);
        Assert.Equal([(1f - 0.1f) / 0.5f, (0.2f - 0.2f) / 0.25f, (0f - 0.3f) / 2f], t);
    }

    [Fact]
    public void Color_feeds_a_gray_input_through_luma_and_gray_feeds_color_replicated()
    {
        var gray = ImagePreprocessor.Run(new PixelImage(1, 1, 3, [255, 0, 0]), new ImagePreprocessing { Height = 1, Width = 1, Channels = 1 });
        Assert.Equal([76 / 255f], gray);
        var color = ImagePreprocessor.Run(new PixelImage(1, 1, 1, [90]), new ImagePreprocessing { Height = 1, Width = 1 });
        Assert.Equal([90 / 255f, 90 / 255f, 90 / 255f], color);
        var forced = ImagePreprocessor.Run(new PixelImage(1, 1, 3, [0, 255, 0]), new ImagePreprocessing { Height = 1, Width = 1, Grayscale = true });
        Assert.Equal([150 / 255f, 150 / 255f, 150 / 255f], forced);
    }

    [Fact]
    public void Center_crop_cuts_the_middle_of_the_resized_image()
    {
        // A 1×6 gray ramp, short side 1 (height), crop 1×2: resized 1×6 unchanged, left = round((6 − 2)/2) = 2.
        var p = new ImagePreprocessing { Height = 1, Width = 2, Channels = 1, Fit = ImageFit.CenterCrop, ShortSide = 2 };
        // Short side 2: 2×12, rows repeat; left = round((12 − 2)/2) = 5: source x = (5.5 or 6.5)·0.5 − 0.5 = 2.25, 2.75;
        // rows: top = round((2 − 1)/2) = round(0.5) = 0.
        var t = ImagePreprocessor.Run(new PixelImage(1, 6, 1, [0, 40, 80, 120, 160, 200]), p);
        Assert.Equal([90 / 255f, 110 / 255f], t);
    }

    [Fact]
    public void A_reused_destination_is_fully_overwritten()
    {
        var p = new ImagePreprocessing { Height = 1, Width = 4, Channels = 1, Fit = ImageFit.PadRight };
        var destination = Enumerable.Repeat(9f, 4).ToArray();
        ImagePreprocessor.Run(new PixelImage(1, 2, 1, [255, 255]), p, destination);
        Assert.Equal([1f, 1f, 0f, 0f], destination);
        Assert.Throws<ArgumentException>(() => ImagePreprocessor.Run(new PixelImage(1, 2, 1, [0, 0]), p, new float[3]));
    }

    [Fact]
    public void Bad_settings_are_rejected_with_the_setting_named()
    {
        Assert.Contains("--std", Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 2, Width = 2, Std = [0f] }.Validate()).Message);
        Assert.Contains("--mean", Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 2, Width = 2, Mean = [0f, 1f] }.Validate()).Message);
        Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 0, Width = 2 }.Validate());
        Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 2, Width = 2, Channels = 2 }.Validate());
        Assert.Contains("smaller than", Assert.Throws<ArgumentException>(() =>
            new ImagePreprocessing { Height = 224, Width = 224, Fit = ImageFit.CenterCrop, ShortSide = 200 }.Validate()).Message);
        Assert.Throws<ArgumentException>(() => new ImagePreprocessing { Height = 2, Width = 2, ShortSide = 4 }.Validate());
        Assert.Throws<ArgumentException>(() => new PixelImage(2, 2, 3, new byte[11]));
    }
}
