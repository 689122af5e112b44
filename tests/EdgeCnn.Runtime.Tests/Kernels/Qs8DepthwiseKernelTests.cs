using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Kernels.Int8KernelTestData;

namespace EdgeCnn.Runtime.Tests.Kernels;

/// <summary>
/// The int8 depthwise convolution kernels of every path against <see cref="Qs8Conv2DReference"/>, byte for byte:
/// 3×3 and 5×5 (and other sizes), strides 1 and 2, dilation, uneven pads and windows entirely on padding, channel
/// multipliers, channel counts around the 16-lane blocks, non-zero zero points, extreme codes and weights,
/// per-channel multipliers from tiny to saturating, fused bounds; outputs inside sentinel guard zones.
/// </summary>
public sealed class Qs8DepthwiseKernelTests
{
    private static readonly int[] ChannelCounts = [2, 3, 15, 16, 17, 24, 31, 32, 33, 48, 70];

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Depthwise_matches_the_reference(KernelPath path)
    {
        RequireSupported(path);
        var rng = new Random(31);
        int cases = 0;
        foreach (int cin in ChannelCounts)
        foreach (var shape in Shapes(rng, cin))
        {
            Check(path, shape, rng);
            cases++;
        }
        Assert.True(cases > 100, $"{cases} cases");
    }

    [Theory]
    [MemberData(nameof(Paths), MemberType = typeof(Int8KernelTestData))]
    public void Depthwise_on_extreme_codes_and_weights(KernelPath path)
    {
        // Every code −128 against zero point 127 (offset −255) and every weight −128: the largest int16 product.
        RequireSupported(path);
        foreach (int multiplier in new[] { 1, 2 })
        {
            var g = Window(1, 6, 6, 20, 20 * multiplier, 5, 5, 1, 1, 2, 2, 2, 2, group: 20);
            var x = Enumerable.Repeat((sbyte)-128, g.InputLength).ToArray();
            var w = Enumerable.Repeat((sbyte)-128, g.OutChannels * 25).ToArray();
            var output = Qs8Requantization.FromReal(Enumerable.Repeat(1.0 / 4096, g.OutChannels).ToArray(), -7, -128, 127);
            Compare(path, g, x, 127, w, [], output, "extremes");
        }
    }

    [Fact]
    public void Reference_path_and_non_depthwise_geometries_get_no_depthwise_kernel()
    {
        var depthwise = Window(1, 4, 4, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, group: 8);
        var grouped = Window(1, 4, 4, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, group: 4);
        var output = Qs8Requantization.FromReal(Enumerable.Repeat(0.01, 8).ToArray(), 0, -128, 127);
        var w = new sbyte[8 * 9 * 2];
        Assert.Null(Qs8DepthwiseConv.TryCreate(KernelPath.Reference, depthwise, w.AsSpan(0, 72), [], output, 0));
        Assert.Null(Qs8DepthwiseConv.TryCreate(CpuFeatures.Current.Best, grouped, w, [], output, 0));
        Assert.Equal(KernelPath.AdvSimd, Qs8DepthwiseConv.Select(KernelPath.AdvSimdDp));
    }

    private static IEnumerable<Spatial2DGeometry> Shapes(Random rng, int cin)
    {
        int[] multipliers = cin > 40 ? [1, 2] : [1, 2, 3];
        foreach (int m in multipliers)
        {
            int cout = cin * m;
            yield return Window(1, 1, 1, cin, cout, 1, 1, 1, 1, 0, 0, 0, 0, group: cin);
            yield return Window(1, 1, 1, cin, cout, 3, 3, 1, 1, 1, 1, 1, 1, group: cin);
            yield return Window(1, 7, 5, cin, cout, 3, 3, 1, 1, 1, 1, 1, 1, group: cin);
            yield return Window(2, 8, 9, cin, cout, 3, 3, 2, 1, 1, 1, 1, 1, group: cin);
            yield return Window(1, 9, 8, cin, cout, 5, 5, 1, 1, 2, 2, 2, 2, group: cin);
            yield return Window(1, 11, 10, cin, cout, 5, 5, 2, 1, 1, 2, 2, 1, group: cin);
            yield return Window(1, 9, 9, cin, cout, 3, 3, 1, 2, 0, 2, 3, 1, group: cin);      // dilated, uneven pads
            yield return Window(1, 2, 3, cin, cout, 3, 3, 1, 1, 3, 3, 3, 3, group: cin);      // windows entirely on padding
            yield return Window(1, 6, 7, cin, cout, 2, 4, 2, 1, 0, 1, 1, 2, group: cin, strideW: 1);
            if (rng.Next(2) == 0) yield return Window(1, 5, 5, cin, cout, 7, 7, 1, 1, 3, 3, 3, 3, group: cin);
        }
    }

    private static void Check(KernelPath path, in Spatial2DGeometry g, Random rng)
    {
        int taps = g.KernelHeight * g.KernelWidth;
        var x = Codes(rng, g.InputLength);
        var w = Codes(rng, g.OutChannels * taps);
        var bias = rng.Next(4) == 0 ? [] : Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(-100_000, 100_001)).ToArray();
        int[] zeroPoints = [-128, -3, 0, 50, 127];
        int xZeroPoint = zeroPoints[rng.Next(zeroPoints.Length)];
        // Per-channel reals from 2^-20 (outputs near the zero point) to 2^2 (mostly clamped), plus an exact zero.
        var reals = Enumerable.Range(0, g.OutChannels).Select(_ => rng.Next(12) == 0 ? 0.0 : Math.Pow(2, -20 + 22 * rng.NextDouble())).ToArray();
        int yZeroPoint = zeroPoints[rng.Next(zeroPoints.Length)];
        var (min, max) = rng.Next(3) == 0 ? (Math.Max(-128, yZeroPoint), 127) : rng.Next(2) == 0 ? (-100, 90) : (-128, 127);
        var output = Qs8Requantization.FromReal(reals, yZeroPoint, min, max);
        Compare(path, g, x, xZeroPoint, w, bias, output, $"xzp={xZeroPoint} yzp={yZeroPoint} bounds=[{min},{max}] bias={!(bias.Length == 0)}");
    }

    private static void Compare(KernelPath path, in Spatial2DGeometry g, sbyte[] x, int xZeroPoint, sbyte[] w, int[] bias,
        Qs8Requantization output, string what)
    {
        var expected = GuardedOutput(g.OutputLength);
        var actual = GuardedOutput(g.OutputLength);
        Qs8Conv2DReference.Run(g, x, xZeroPoint, w, bias, output, Body(expected));
        var conv = Qs8DepthwiseConv.TryCreate(path, g, w, bias, output, xZeroPoint);
        if (path == KernelPath.Reference)
        {
            Assert.Null(conv);
            return;
        }
        Assert.NotNull(conv);
        Assert.Equal(Qs8DepthwiseConv.Select(path), conv.Kernel);
        conv.Run(x, Body(actual));
        SameBytes(expected, actual, $"{conv.Kernel} depthwise {g} {what}");
    }
}
