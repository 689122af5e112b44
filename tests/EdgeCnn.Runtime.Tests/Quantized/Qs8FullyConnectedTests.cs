using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>The int8 FullyConnected operator against y[m,c] = clamp(zp_y + MBQM(B[c] + Σ (x − zp_x)·w, s_x·s_w[c]/s_y))
/// written here with 64-bit sums, byte for byte, and against the float operator on the dequantized operands.</summary>
public sealed class Qs8FullyConnectedTests
{
    [Theory]
    [InlineData(new[] { 1, 17 }, 7, true, true, ActivationKind.None, -5, 3)]
    [InlineData(new[] { 3, 64 }, 10, true, true, ActivationKind.Relu, 127, -128)]
    [InlineData(new[] { 2, 3, 5 }, 1, false, false, ActivationKind.None, -128, 127)]
    [InlineData(new[] { 4, 1 }, 9, true, false, ActivationKind.Clip, 0, -20)]
    [InlineData(new[] { 1, 1, 1, 33 }, 33, false, true, ActivationKind.Relu, 12, 0)]
    public void Matches_the_documented_integer_product_byte_for_byte(int[] xShape, int cout, bool perChannel, bool hasBias, ActivationKind act, int zx, int zy)
    {
        var rng = new Random(cout * 31 + xShape.Sum());
        int k = xShape[^1];
        int m = xShape.Aggregate(1, (a, d) => a * d) / k;
        var qx = QuantParams.PerTensor(0.02f + 0.03f * (float)rng.NextDouble(), zx);
        var wScales = Enumerable.Range(0, perChannel ? cout : 1).Select(_ => 0.003f + 0.01f * (float)rng.NextDouble()).ToArray();
        var qw = perChannel ? new QuantParams(wScales, new int[cout], axis: 0) : QuantParams.PerTensor(wScales[0], 0);
        var qy = QuantParams.PerTensor((float)(qx.Scale * wScales.Average() * Math.Sqrt(k) * 100), zy);
        var x = RandomInt8(rng, m * k);
        var w = RandomInt8(rng, cout * k);
        var bias = hasBias ? RandomInt32(rng, cout, (int)(4000 * Math.Sqrt(k))) : null;
        double WeightScale(int c) => perChannel ? wScales[c] : wScales[0];

        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, xShape, qx);
        int wi = b.Int8Constant("w", [cout, k], qw, w);
        int bi = bias is null ? -1 : b.Int32Constant("b", [cout],
            perChannel ? new QuantParams(wScales.Select(s => qx.Scale * s).ToArray(), new int[cout], axis: 0) : QuantParams.PerTensor(qx.Scale * wScales[0], 0), bias);
        int yi = b.Activation("y", DataType.Int8, [m, cout], qy);
        var p = new OpParams().Set(ParamKey.Activation, (int)act);
        if (act == ActivationKind.Clip) p.Set(ParamKey.Alpha, -0.5f).Set(ParamKey.Beta, 1.5f);
        b.Op(OpCode.FullyConnected, [xi, wi, bi], [yi], p, "fc").Output(yi);
        var actual = OpRunner.RunInt8(b.Build(), OpRunner.Bytes(x));

        var (lo, hi) = Bounds(act, -0.5f, 1.5f, qy.Scale, zy);
        var floatY = FloatFullyConnected(x, qx, w, k, cout, WeightScale, bias, m);
        for (int row = 0; row < m; row++)
        for (int c = 0; c < cout; c++)
        {
            long acc = bias?[c] ?? 0;
            for (int i = 0; i < k; i++) acc += (long)(x[row * k + i] - zx) * w[c * k + i];
            var expected = Requantize(acc, (double)qx.Scale * WeightScale(c) / qy.Scale, zy, lo, hi);
            Assert.True(expected == actual[row * cout + c], $"[{row},{c}]: expected {expected}, got {actual[row * cout + c]}");

            double ideal = Math.Min(Math.Max(zy + floatY[row * cout + c] / qy.Scale, lo), hi);
            Assert.True(Math.Abs(actual[row * cout + c] - ideal) <= 1.0, $"[{row},{c}]: int8 {actual[row * cout + c]}, float gives {ideal:F3}");
        }
    }

    private static float[] FloatFullyConnected(sbyte[] x, QuantParams qx, sbyte[] w, int k, int cout, Func<int, double> weightScale, int[]? bias, int m)
    {
        var inputs = new List<TestTensor>
        {
            TestTensor.Input([m, k], x.Select(v => Dequantize(v, qx)).ToArray()),
            TestTensor.Constant([cout, k], w.Select((v, i) => (float)(v * weightScale(i / k))).ToArray()),
        };
        if (bias is not null) inputs.Add(TestTensor.Constant([cout], bias.Select((v, c) => (float)(v * qx.Scale * weightScale(c))).ToArray()));
        return OneOpModel.Run(OpCode.FullyConnected, new OpParams(), inputs, [m, cout]);
    }
}
