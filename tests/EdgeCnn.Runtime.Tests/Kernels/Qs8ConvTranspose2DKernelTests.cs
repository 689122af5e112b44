using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>The int8 transposed convolution kernels of every path against <see cref="Qs8ConvTranspose2DReference"/>,
/// byte for byte, guard zones included: odd channel counts, groups, strides, dilations, asymmetric pads, output
/// padding, two images, extreme codes and zero points; whole and cut into row ranges as threads run it.</summary>
public sealed class Qs8ConvTranspose2DKernelTests
{
    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Matches_the_reference_whole_and_by_row_ranges(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(41);
        int[] zeroPoints = [-128, -5, 0, 77, 127];
        foreach (var g in Geometries())
        {
            int zx = zeroPoints[rng.Next(zeroPoints.Length)];
            var c = Random(rng, g, zx);
            var expected = GuardedOutput(g.OutputLength);
            Qs8ConvTranspose2DReference.Run(g, c.X, zx, c.W, c.Bias, c.Output, new int[Qs8ConvTranspose2DReference.ScratchInts(g)], Body(expected));

            var actual = GuardedOutput(g.OutputLength);
            RunPath(path, g, c, zx, actual, [0, g.Batch * g.OutHeight]);
            SameBytes(expected, actual, $"{path} transposed convolution {g} zp={zx}");

            // Three uneven row ranges, one crossing the image boundary when there are two images.
            int rows = g.Batch * g.OutHeight;
            var split = GuardedOutput(g.OutputLength);
            RunPath(path, g, c, zx, split, [0, rows / 3, Math.Max(rows / 3, rows - 1), rows]);
            SameBytes(expected, split, $"{path} transposed convolution {g} zp={zx}, by row ranges");
        }
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Extreme_products_do_not_wrap(KernelPath path)
    {
        RequireSupported(path);
        // (−128 − 127)·(−128) = 32640 in every product: the int16 products and pair sums of the vector kernels are exact.
        var g = Transposed(1, 3, 3, 33, 9, 3, 3, 2, 1, [1, 0, 0, 1], 1, 1);
        foreach (sbyte value in new sbyte[] { -128, 127 })
        {
            int zx = value == -128 ? 127 : -128;
            var c = new Case(Enumerable.Repeat(value, g.InputLength).ToArray(),
                Enumerable.Repeat((sbyte)-128, g.OutChannels * g.KernelHeight * g.KernelWidth * g.InGroupChannels).ToArray(),
                new int[g.OutChannels], Qs8Requantization.FromReal(Enumerable.Repeat(1.0 / 4_000_000, g.OutChannels).ToArray(), 0, -128, 127));
            var expected = GuardedOutput(g.OutputLength);
            Qs8ConvTranspose2DReference.Run(g, c.X, zx, c.W, c.Bias, c.Output, new int[Qs8ConvTranspose2DReference.ScratchInts(g)], Body(expected));
            Assert.True(Body(expected).ToArray().Distinct().Count() > 1, "the extreme case's outputs do not vary with the tap count");
            var actual = GuardedOutput(g.OutputLength);
            RunPath(path, g, c, zx, actual, [0, g.Batch * g.OutHeight]);
            SameBytes(expected, actual, $"{path} extreme transposed convolution, inputs {value}, zp {zx}");
        }
    }

    [Fact]
    public void Groups_of_at_most_two_output_channels_pack_for_dot_products()
    {
        var g = Transposed(1, 2, 2, 24, 1, 2, 2, 2, 1, [0, 0, 0, 0], 1, 0);
        var c = Random(new Random(43), g, 0);
        Assert.True(Qs8ConvTranspose2DPacked.Pack(KernelPath.Vector128, g, c.W, c.Bias, 0, c.Output).IsDot);
        var wide = g with { OutChannels = 3 };
        var w = Random(new Random(44), wide, 0);
        Assert.False(Qs8ConvTranspose2DPacked.Pack(KernelPath.Avx2, wide, w.W, w.Bias, 0, w.Output).IsDot);
    }

    [Fact]
    public void Taps_that_tile_the_output_run_as_gemms()
    {
        var tiled = Transposed(1, 3, 3, 24, 24, 2, 2, 2, 1, [0, 0, 0, 0], 1, 0);
        var c = Random(new Random(45), tiled, 0);
        Assert.NotNull(Qs8ConvTranspose2DPacked.Pack(KernelPath.Vector128, tiled, c.W, c.Bias, 0, c.Output).TileGemms);
        var overlapping = Transposed(1, 3, 3, 24, 24, 3, 3, 2, 1, [1, 1, 1, 1], 1, 1);
        var o = Random(new Random(46), overlapping, 0);
        Assert.Null(Qs8ConvTranspose2DPacked.Pack(KernelPath.Vector128, overlapping, o.W, o.Bias, 0, o.Output).TileGemms);
    }

    [Fact]
    public void Vector_paths_select_a_vector_kernel()
    {
        Assert.Equal(KernelPath.Reference, Qs8ConvTranspose2DKernels.Select(KernelPath.Reference));
        Assert.Equal(KernelPath.Vector128, Qs8ConvTranspose2DKernels.Select(KernelPath.Vector128));
        Assert.Equal(KernelPath.Avx2, Qs8ConvTranspose2DKernels.Select(KernelPath.Avx2));
        Assert.Equal(KernelPath.Vector128, Qs8ConvTranspose2DKernels.Select(KernelPath.AdvSimd));
        Assert.Equal(KernelPath.Vector128, Qs8ConvTranspose2DKernels.Select(KernelPath.AdvSimdDp));
    }

    private sealed record Case(sbyte[] X, sbyte[] W, int[] Bias, Qs8Requantization Output);

    /// <summary>Runs the path's kernel (the reference on the Reference path) on consecutive row ranges [cuts[i], cuts[i+1]).</summary>
    private static void RunPath(KernelPath path, in Spatial2DGeometry g, Case c, int zx, sbyte[] guarded, int[] cuts)
    {
        var selected = Qs8ConvTranspose2DKernels.Select(path);
        var packed = selected == KernelPath.Reference ? null : Qs8ConvTranspose2DPacked.Pack(selected, g, c.W, c.Bias, zx, c.Output, path);
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            if (packed is null)
                Qs8ConvTranspose2DReference.Run(g, c.X, zx, c.W, c.Bias, c.Output, new int[Qs8ConvTranspose2DReference.ScratchInts(g)],
                    Body(guarded), cuts[i], cuts[i + 1]);
            else
                Qs8ConvTranspose2DKernels.Run(packed, c.X, Body(guarded), new byte[packed.ScratchBytes], cuts[i], cuts[i + 1]);
        }
    }

    private static Case Random(Random rng, in Spatial2DGeometry g, int zx)
    {
        int weights = g.OutChannels * g.KernelHeight * g.KernelWidth * g.InGroupChannels;
        var bias = new int[g.OutChannels];
        for (int i = 0; i < bias.Length; i++) bias[i] = rng.Next(-40_000, 40_000);
        var reals = new double[g.OutChannels];
        for (int i = 0; i < reals.Length; i++) reals[i] = 1e-4 + 4e-3 * rng.NextDouble();
        int zy = rng.Next(-60, 60);
        // Some cases clamp like a fused Relu/Clip.
        var (min, max) = rng.Next(3) == 0 ? (Math.Max(-128, zy), 100) : (-128, 127);
        return new Case(Codes(rng, g.InputLength), Codes(rng, weights), bias, Qs8Requantization.FromReal(reals, zy, min, max));
    }

    private static IEnumerable<Spatial2DGeometry> Geometries()
    {
        // (24, 1), (33, 2) and (1, 1) take the dot-product layout (at most two output channels per group).
        foreach (var (cin, cout) in new[] { (1, 1), (3, 5), (24, 24), (24, 1), (33, 2), (17, 9), (33, 16), (8, 40) })
        {
            yield return Transposed(1, 4, 5, cin, cout, 2, 2, 2, 1, [0, 0, 0, 0], 1, 0);    // the detector's 2x2 stride-2 upsampling
            yield return Transposed(2, 3, 4, cin, cout, 3, 3, 2, 1, [1, 1, 1, 1], 1, 1);    // output padding, two images
            yield return Transposed(1, 3, 3, cin, cout, 3, 2, 1, 1, [0, 1, 2, 0], 1, 0);    // asymmetric pads, stride 1
            yield return Transposed(1, 4, 3, cin, cout, 3, 3, 3, 2, [1, 2, 0, 1], 1, 2);    // dilation 2, stride 3
            yield return Transposed(1, 1, 1, cin, cout, 1, 1, 1, 1, [0, 0, 0, 0], 1, 0);    // 1x1
        }
        yield return Transposed(1, 5, 4, 6, 4, 3, 3, 2, 2, [1, 1, 1, 1], 2, 0);             // 2 groups, dilation 2
        yield return Transposed(1, 3, 3, 5, 5, 3, 3, 3, 1, [0, 0, 0, 0], 5, 0);             // one channel per group
        yield return Transposed(2, 4, 4, 18, 27, 2, 3, 2, 1, [0, 1, 0, 0], 3, 1);           // odd channels per group (3 groups of 6 → 9)
        yield return Transposed(1, 3, 4, 14, 22, 3, 3, 2, 1, [1, 1, 1, 1], 2, 1);           // odd input channels per group (7)
        yield return Transposed(2, 3, 5, 12, 18, 2, 2, 2, 1, [0, 0, 0, 0], 3, 0);           // taps tile the output: GEMMs per group
        yield return Transposed(1, 3, 4, 20, 17, 3, 3, 3, 1, [0, 0, 0, 0], 1, 0);           // 3x3 stride 3 tiles too
    }

    /// <summary>X[batch,h,w,cin] → Y of the transposed extent s(h − 1) + output padding + d(k − 1) + 1 − pads.</summary>
    private static Spatial2DGeometry Transposed(int batch, int h, int w, int cin, int cout, int kh, int kw, int stride, int dilation,
        int[] pads, int group, int outputPadding)
    {
        int oh = stride * (h - 1) + outputPadding + dilation * (kh - 1) + 1 - pads[0] - pads[2];
        int ow = stride * (w - 1) + outputPadding + dilation * (kw - 1) + 1 - pads[1] - pads[3];
        Assert.True(oh > 0 && ow > 0, "the test geometry has an output");
        return new Spatial2DGeometry(batch, h, w, cin, oh, ow, cout, kh, kw, stride, stride, dilation, dilation,
            pads[0], pads[1], pads[2], pads[3], group);
    }
}
