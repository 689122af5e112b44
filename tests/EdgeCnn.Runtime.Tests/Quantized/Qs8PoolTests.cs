using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>Int8 max, average and global average pooling against window sums written here (64-bit, rounded
/// mean with ties away from zero, counts per CountIncludePad), byte for byte.</summary>
public sealed class Qs8PoolTests
{
    // n, h, w, c, kh, kw, sh, sw, dh, dw, pads (t, l, b, r), out h, out w
    public static TheoryData<int[]> Windows => new(
        [1, 6, 6, 3, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 3, 3],
        [2, 7, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 7, 5],
        [1, 7, 7, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 4, 4],
        [1, 6, 6, 2, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0, 3, 3],   // ceil mode: the last window hangs past the input
        [1, 9, 8, 3, 3, 2, 1, 2, 2, 3, 2, 1, 0, 2, 7, 5],   // dilated, uneven pads, ceil mode
        [1, 2, 2, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 3, 3]);  // windows entirely on padding

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPool_takes_the_largest_tap_inside_the_input(int[] g)
    {
        var rng = new Random(g.Sum());
        var q = QuantParams.PerTensor(0.1f, 7);
        var x = RandomInt8(rng, g[0] * g[1] * g[2] * g[3]);
        var actual = OpRunner.RunInt8(PoolModel(OpCode.MaxPool2D, g, q, q, null), OpRunner.Bytes(x));
        var expected = Windowed(g, x, taps => taps.Count == 0 ? -128 : taps.Max(), (_, _) => 0);
        Assert.Equal(expected, actual.Select(v => (int)v).ToArray());
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void AveragePool_rounds_the_mean_of_the_offsets_from_the_zero_point(int[] g)
    {
        foreach (bool includePad in new[] { false, true })
        foreach (int zp in new[] { -128, -3, 0, 90, 127 })
        {
            var rng = new Random(g.Sum() + zp);
            var q = QuantParams.PerTensor(0.05f, zp);
            var x = RandomInt8(rng, g[0] * g[1] * g[2] * g[3]);
            var actual = OpRunner.RunInt8(PoolModel(OpCode.AveragePool2D, g, q, q, includePad), OpRunner.Bytes(x));
            var expected = Windowed(g, x, null, (taps, padded) =>
            {
                long count = includePad ? padded : taps.Count;
                long sum = taps.Sum(v => (long)(v - zp));
                return (int)Math.Clamp(zp + (count == 0 ? 0 : RoundedMean(sum, count)), -128, 127);
            });
            Assert.Equal(expected, actual.Select(v => (int)v).ToArray());
        }
    }

    [Fact]
    public void AveragePool_rounds_ties_away_from_zero()
    {
        // One 2x2 window per channel with offsets summing to ±2 and ±6: means ±0.5 and ±1.5.
        int[] g = [1, 2, 2, 4, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1];
        var q = QuantParams.PerTensor(1f, 10);
        sbyte[] x =
        [
            11, 9, 11, 9,
            11, 9, 13, 7,
            10, 10, 11, 9,
            10, 10, 11, 9,
        ];
        var actual = OpRunner.RunInt8(PoolModel(OpCode.AveragePool2D, g, q, q, false), OpRunner.Bytes(x));
        Assert.Equal(new sbyte[] { 11, 9, 12, 8 }, actual);
    }

    [Theory]
    [InlineData(1, 7, 7, 5, -10)]
    [InlineData(2, 1, 1, 3, 127)]
    [InlineData(1, 4, 6, 17, -128)]
    [InlineData(3, 2, 3, 1, 0)]
    public void GlobalAveragePool_rounds_the_mean_of_every_channel(int n, int h, int w, int c, int zp)
    {
        var rng = new Random(n * h * w * c);
        var q = QuantParams.PerTensor(0.2f, zp);
        var x = RandomInt8(rng, n * h * w * c);
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [n, h, w, c], q);
        int yi = b.Activation("y", DataType.Int8, [n, 1, 1, c], q);
        b.Op(OpCode.GlobalAveragePool, [xi], [yi]).Output(yi);
        var actual = OpRunner.RunInt8(b.Build(), OpRunner.Bytes(x));
        for (int bn = 0; bn < n; bn++)
        for (int ch = 0; ch < c; ch++)
        {
            long sum = 0;
            for (int p = 0; p < h * w; p++) sum += x[(bn * h * w + p) * c + ch] - zp;
            Assert.Equal(Math.Clamp(zp + RoundedMean(sum, h * w), -128, 127), actual[bn * c + ch]);
        }
    }

    private static CompiledModel PoolModel(OpCode code, int[] g, QuantParams qx, QuantParams qy, bool? countIncludePad)
    {
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [g[0], g[1], g[2], g[3]], qx);
        int yi = b.Activation("y", DataType.Int8, [g[0], g[14], g[15], g[3]], qy);
        var p = new OpParams().Set(ParamKey.Kernel, g[4], g[5]).Set(ParamKey.Strides, g[6], g[7]).Set(ParamKey.Dilations, g[8], g[9])
            .Set(ParamKey.Pads, g[10], g[11], g[12], g[13]);
        if (countIncludePad is { } flag) p.Set(ParamKey.CountIncludePad, flag ? 1 : 0);
        return b.Op(code, [xi], [yi], p, "pool").Output(yi).Build();
    }

    /// <summary>Walks every window: the values of its taps inside the input and the number of its taps inside the
    /// padded input, handed to <paramref name="max"/> or <paramref name="mean"/>.</summary>
    private static int[] Windowed(int[] g, sbyte[] x, Func<List<int>, int>? max, Func<List<int>, int, int> mean)
    {
        int n = g[0], h = g[1], w = g[2], c = g[3], kh = g[4], kw = g[5], sh = g[6], sw = g[7], dh = g[8], dw = g[9];
        int pt = g[10], pl = g[11], pb = g[12], pr = g[13], oh = g[14], ow = g[15];
        var y = new int[n * oh * ow * c];
        for (int b = 0; b < n; b++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        for (int ch = 0; ch < c; ch++)
        {
            var taps = new List<int>();
            int padded = 0;
            for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++)
            {
                int iy = oy * sh - pt + ky * dh, ix = ox * sw - pl + kx * dw;
                if (iy >= -pt && iy < h + pb && ix >= -pl && ix < w + pr) padded++;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) taps.Add(x[((b * h + iy) * w + ix) * c + ch]);
            }
            y[((b * oh + oy) * ow + ox) * c + ch] = max is not null ? max(taps) : mean(taps, padded);
        }
        return y;
    }
}
