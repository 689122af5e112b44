using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>Quantize (round half to even of the exact quotient, clamp, NaN → zero point) and Dequantize
/// (one float32 multiplication) against exact rational references.</summary>
public sealed class QuantizeDequantizeTests
{
    [Fact]
    public void Quantize_rounds_ties_to_even_saturates_and_maps_NaN_to_the_zero_point()
    {
        var q = QuantParams.PerTensor(0.5f, 3);
        float[] x = [1.25f, 1.75f, -1.25f, -1.75f, 0.25f, -0.25f, 0f, -0f, 1e9f, -1e9f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 62f, 62.25f, -65.5f, -65.75f];
        // x / 0.5 = 2.5 → 2, 3.5 → 4, −2.5 → −2, −3.5 → −4, 0.5 → 0, −0.5 → 0; then + 3, clamped.
        int[] expected = [5, 7, 1, -1, 3, 3, 3, 3, 127, -128, 127, -128, 3, 127, 127, -128, -128];
        Assert.Equal(expected, RunQuantize(x, q));
    }

    [Fact]
    public void Quantize_matches_the_exact_rational_rounding_on_random_values()
    {
        var rng = new Random(8);
        foreach (var (scale, zp) in new[] { (0.0173f, -128), (0.5f, 0), (3e-5f, 17), (1f / 3, 127), (125.7f, -3) })
        {
            var q = QuantParams.PerTensor(scale, zp);
            var x = new float[1001];
            for (int i = 0; i < x.Length; i++)
            {
                // Values near ties: (k + ½)·scale nudged by a few ulps, and plain random ones.
                x[i] = i % 3 == 0
                    ? (float)((rng.Next(-140, 140) + 0.5) * scale)
                    : (float)((rng.NextDouble() * 300 - 150) * scale);
                if (i % 5 == 0) x[i] = MathF.BitIncrement(x[i]);
                if (i % 7 == 0) x[i] = MathF.BitDecrement(x[i]);
            }
            Assert.Equal(x.Select(v => Quantize(v, scale, zp)).ToArray(), RunQuantize(x, q));
        }
    }

    [Fact]
    public void Dequantize_is_one_float_multiplication_of_the_offset()
    {
        foreach (var q in new[] { QuantParams.PerTensor(0.0173f, -128), QuantParams.PerTensor(1f / 3, 127), QuantParams.PerTensor(7.5e-3f, 5) })
        {
            var x = Enumerable.Range(-128, 256).Select(v => (sbyte)v).ToArray();
            var b = new QuantizedModelBuilder();
            int xi = b.Input("x", DataType.Int8, [16, 16], q);
            int yi = b.Activation("y", DataType.Float32, [16, 16]);
            b.Op(OpCode.Dequantize, [xi], [yi], null, "dequantize").Output(yi);
            var bytes = OpRunner.Run(b.Build(), OpRunner.Bytes(x))[0];
            for (int i = 0; i < x.Length; i++)
            {
                float expected = (float)((double)(x[i] - q.ZeroPoint) * q.Scale);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.ToInt32(bytes, 4 * i));
            }
        }
    }

    private static int[] RunQuantize(float[] x, QuantParams q)
    {
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Float32, [x.Length]);
        int yi = b.Activation("y", DataType.Int8, [x.Length], q);
        b.Op(OpCode.Quantize, [xi], [yi], null, "quantize").Output(yi);
        var bytes = new byte[4 * x.Length];
        Buffer.BlockCopy(x, 0, bytes, 0, bytes.Length);
        return OpRunner.RunInt8(b.Build(), bytes).Select(v => (int)v).ToArray();
    }
}
