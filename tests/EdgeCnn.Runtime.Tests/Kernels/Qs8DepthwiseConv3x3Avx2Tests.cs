using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Kernels.X86;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The unrolled 3×3 AVX2 depthwise kernel called directly against <see cref="Qs8Conv2DReference"/>: images big enough
/// that most pixels take the full-window path (MobileNet's strides 1 and 2, pads 1), dilation 2, channel counts
/// around its 16-lane blocks (the overlapping last block), every zero point, and the extreme offset −255 × −128
/// on every tap.
/// </summary>
public sealed class Qs8DepthwiseConv3x3Avx2Tests
{
    public static TheoryData<int> Channels => new(16, 17, 24, 32, 40, 96);

    [Theory]
    [MemberData(nameof(Channels))]
    public void Unrolled_3x3_matches_the_reference(int c)
    {
        RequireAvx2();
        var rng = new Random(c * 7 + 1);
        Spatial2DGeometry[] shapes =
        [
            Window(1, 12, 11, c, c, 3, 3, 1, 1, 1, 1, 1, 1, group: c),
            Window(2, 13, 14, c, c, 3, 3, 2, 1, 1, 1, 1, 1, group: c),
            Window(1, 10, 9, c, c, 3, 3, 1, 1, 0, 0, 0, 0, group: c),
            Window(1, 11, 12, c, c, 3, 3, 1, 2, 2, 1, 2, 3, group: c),
            Window(1, 9, 10, c, c, 3, 3, 2, 1, 0, 1, 1, 0, group: c, strideW: 1),
        ];
        foreach (var g in shapes)
        foreach (int xZeroPoint in new[] { -128, -5, 0, 77, 127 })
        foreach (bool leftShift in new[] { false, true })
        {
            var x = Codes(rng, g.InputLength);
            var w = Codes(rng, c * 9);
            var bias = Enumerable.Range(0, c).Select(_ => rng.Next(-200_000, 200_001)).ToArray();
            // Real multipliers below 1 take the packed full-window blocks; one above 1 (a left shift) the general stage.
            var reals = Enumerable.Range(0, c).Select(i => leftShift && i == c / 2 ? 1.75 : Math.Pow(2, -18 + 16 * rng.NextDouble())).ToArray();
            var output = Qs8Requantization.FromReal(reals, rng.Next(-128, 128), -128, 127);
            Assert.Equal(!leftShift, new Qs8DepthwisePacking(g, w, bias, output).Avx2FullWindows.Length > 0);
            Compare(g, x, xZeroPoint, w, bias, output, $"zp {xZeroPoint}, left shift {leftShift}");
        }
    }

    [Fact]
    public void Extreme_offsets_and_weights_on_every_tap()
    {
        RequireAvx2();
        var g = Window(1, 8, 8, 33, 33, 3, 3, 1, 1, 1, 1, 1, 1, group: 33);
        var x = Enumerable.Repeat((sbyte)-128, g.InputLength).ToArray();
        var w = Enumerable.Repeat((sbyte)-128, 33 * 9).ToArray();
        var output = Qs8Requantization.FromReal(Enumerable.Repeat(1.0 / 8192, 33).ToArray(), 3, -128, 127);
        Compare(g, x, 127, w, [], output, "extremes");
    }

    [Fact]
    public void Other_windows_and_multipliers_are_not_covered()
    {
        var output = Qs8Requantization.FromReal(Enumerable.Repeat(0.01, 32).ToArray(), 0, -128, 127);
        var fiveByFive = Window(1, 6, 6, 16, 16, 5, 5, 1, 1, 2, 2, 2, 2, group: 16);
        var doubled = Window(1, 6, 6, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1, group: 16);
        var narrow = Window(1, 6, 6, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, group: 8);
        Assert.False(Qs8DepthwiseConv3x3Avx2.Covers(fiveByFive, new Qs8DepthwisePacking(fiveByFive, new sbyte[16 * 25], [], Slice(output, 16))));
        Assert.False(Qs8DepthwiseConv3x3Avx2.Covers(doubled, new Qs8DepthwisePacking(doubled, new sbyte[32 * 9], [], output)));
        Assert.False(Qs8DepthwiseConv3x3Avx2.Covers(narrow, new Qs8DepthwisePacking(narrow, new sbyte[8 * 9], [], Slice(output, 8))));
    }

    private static Qs8Requantization Slice(Qs8Requantization q, int channels) =>
        Qs8Requantization.FromReal(Enumerable.Repeat(0.01, channels).ToArray(), q.ZeroPoint, q.Min, q.Max);

    private static void RequireAvx2()
    {
        if (!Avx2.IsSupported) Assert.Skip("Qs8DepthwiseConv3x3Avx2 needs AVX2, which this machine lacks");
    }

    private static void Compare(in Spatial2DGeometry g, sbyte[] x, int xZeroPoint, sbyte[] w, int[] bias, Qs8Requantization output, string what)
    {
        var expected = GuardedOutput(g.OutputLength);
        var actual = GuardedOutput(g.OutputLength);
        Qs8Conv2DReference.Run(g, x, xZeroPoint, w, bias, output, Body(expected));
        var packing = new Qs8DepthwisePacking(g, w, bias, output);
        Assert.True(Qs8DepthwiseConv3x3Avx2.Covers(g, packing));
        Qs8DepthwiseConv3x3Avx2.Run(g, x, xZeroPoint, packing, Body(actual));
        SameBytes(expected, actual, $"3x3 Avx2 depthwise {g} {what}");
    }
}
