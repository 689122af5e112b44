using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Compiler.Tests.Preprocessing;

/// <summary>Both resampling filters against values worked out by hand from their definitions.</summary>
public sealed class ResamplingTests
{
    [Fact]
    public void Bilinear_upscale_uses_half_pixel_centers()
    {
        // One row [0, 100] to width 4: source x = (o + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → clamp → 0, 25, 75, 100.
        Assert.Equal([0, 25, 75, 100], BilinearResize.Resize([0, 100], 1, 2, 1, 1, 4));
    }

    [Fact]
    public void Bilinear_downscale_by_two_averages_pixel_pairs()
    {
        // Source x = (o + 0.5)·2 − 0.5 = 2o + 0.5: the mean of pixels 2o and 2o+1, in both directions.
        byte[] src = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150];
        Assert.Equal([25, 45, 105, 125], BilinearResize.Resize(src, 4, 4, 1, 2, 2));
    }

    [Fact]
    public void Bilinear_rounds_to_the_nearest_level()
    {
        // [0, 1] to width 4 gives 0, 0.25, 0.75, 1 → 0, 0, 1, 1; [0, 3] gives 0, 0.75, 2.25, 3 → 0, 1, 2, 3.
        Assert.Equal([0, 0, 1, 1], BilinearResize.Resize([0, 1], 1, 2, 1, 1, 4));
        Assert.Equal([0, 1, 2, 3], BilinearResize.Resize([0, 3], 1, 2, 1, 1, 4));
    }

    [Fact]
    public void Bilinear_shrinking_by_four_samples_two_pixels_only()
    {
        // OpenCV's INTER_LINEAR has no antialiasing: source x = 4o + 1.5 reads pixels 4o+1 and 4o+2 only.
        byte[] row = [200, 10, 30, 200, 200, 50, 70, 200];
        Assert.Equal([20, 60], BilinearResize.Resize(row, 1, 8, 1, 1, 2));
    }

    [Fact]
    public void Same_size_is_an_exact_copy_for_both_filters()
    {
        var random = new Random(3);
        var src = new byte[5 * 7 * 3];
        random.NextBytes(src);
        Assert.Equal(src, BilinearResize.Resize(src, 5, 7, 3, 5, 7));
        Assert.Equal(src, AntialiasedResize.Resize(src, 5, 7, 3, 5, 7));
    }

    [Fact]
    public void Antialiased_halving_is_the_1_3_3_1_triangle()
    {
        // Shrinking by 2 widens the triangle to radius 2 around 2o + 1: pixels 2o−1 … 2o+2 weigh 1/8, 3/8, 3/8, 1/8;
        // at the border the missing pixel's weight is dropped and the rest renormalized (3/7, 3/7, 1/7).
        byte[] row = [0, 80, 160, 240, 16, 48];
        int first = (int)Math.Round((3 * 0 + 3 * 80 + 1 * 160) / 7.0, MidpointRounding.AwayFromZero);
        int middle = (int)Math.Round((80 + 3 * 160 + 3 * 240 + 16) / 8.0, MidpointRounding.AwayFromZero);
        int last = (int)Math.Round((240 + 3 * 16 + 3 * 48) / 7.0, MidpointRounding.AwayFromZero);
        Assert.Equal([(byte)first, (byte)middle, (byte)last], AntialiasedResize.Resize(row, 1, 6, 1, 1, 3));
    }

    [Fact]
    public void Antialiased_shrinking_sees_every_pixel_where_bilinear_does_not()
    {
        // A thin bright line at an even column: bilinear halving reads it at half weight, the widened triangle at 3/8.
        // Shrinking by 4 from a line at column 0 (outside INTER_LINEAR's taps at 1 and 2): bilinear misses it.
        byte[] row = [255, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(0, BilinearResize.Resize(row, 1, 8, 1, 1, 2)[0]);
        // Radius 4 around 2: pixels 0…5 (clipped) with weights 1 − |i − 1.5|/4 = 5/8, 7/8, 7/8, 5/8, 3/8, 1/8 (sum 3.5).
        Assert.Equal((byte)Math.Round(255 * (5 / 8.0) / 3.5, MidpointRounding.AwayFromZero), AntialiasedResize.Resize(row, 1, 8, 1, 1, 2)[0]);
    }

    [Fact]
    public void Antialiased_enlarging_equals_bilinear()
    {
        var random = new Random(5);
        var src = new byte[4 * 6 * 3];
        random.NextBytes(src);
        var a = AntialiasedResize.Resize(src, 4, 6, 3, 9, 13);
        var b = BilinearResize.Resize(src, 4, 6, 3, 9, 13);
        // Same weights; the two passes of the antialiased filter round in between, so values may differ by one level.
        Assert.All(a.Zip(b), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_window_equals_the_same_part_of_the_whole_resized_image(bool antialias)
    {
        var random = new Random(antialias ? 11 : 7);
        for (int trial = 0; trial < 30; trial++)
        {
            int h = random.Next(1, 20), w = random.Next(1, 20), c = random.Next(1, 4);
            int outH = random.Next(1, 30), outW = random.Next(1, 30);
            int windowH = random.Next(1, outH + 1), windowW = random.Next(1, outW + 1);
            int top = random.Next(0, outH - windowH + 1), left = random.Next(0, outW - windowW + 1);
            var src = new byte[h * w * c];
            random.NextBytes(src);
            var whole = antialias ? AntialiasedResize.Resize(src, h, w, c, outH, outW) : BilinearResize.Resize(src, h, w, c, outH, outW);
            var window = antialias
                ? AntialiasedResize.ResizeWindow(src, h, w, c, outH, outW, top, left, windowH, windowW)
                : BilinearResize.ResizeWindow(src, h, w, c, outH, outW, top, left, windowH, windowW);
            for (int y = 0; y < windowH; y++)
                for (int x = 0; x < windowW; x++)
                    for (int k = 0; k < c; k++)
                        Assert.Equal(whole[((top + y) * outW + left + x) * c + k], window[(y * windowW + x) * c + k]);
        }
    }

    [Fact]
    public void A_window_outside_the_image_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BilinearResize.ResizeWindow(new byte[4], 2, 2, 1, 4, 4, 2, 2, 3, 1));
        Assert.Contains("outside", ex.Message);
        Assert.Throws<ArgumentException>(() => AntialiasedResize.ResizeWindow(new byte[3], 2, 2, 1, 4, 4, 0, 0, 1, 1));
    }

    [Fact]
    public void Luma_uses_the_bt601_weights_and_keeps_gray_exact()
    {
        // PIL: (R·19595 + G·38470 + B·7471 + 32768) >> 16: 255,0,0 → 76; 0,255,0 → 150; 0,0,255 → 29.
        Assert.Equal([76, 150, 29], Luma.FromRgb([255, 0, 0, 0, 255, 0, 0, 0, 255]));
        var grays = Enumerable.Range(0, 256).SelectMany(v => new[] { (byte)v, (byte)v, (byte)v }).ToArray();
        Assert.Equal(Enumerable.Range(0, 256).Select(v => (byte)v), Luma.FromRgb(grays));
    }
}
