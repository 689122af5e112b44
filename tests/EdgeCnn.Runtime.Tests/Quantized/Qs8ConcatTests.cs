using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Quantization;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>Int8 Concat: inputs quantized like the output are copied byte for byte, the others requantized as
/// documented (y = clamp(zp_y + MBQM((x − zp_x)·2²⁰, s_x/(2²⁰·s_y)))), which lands within one step of the real value.</summary>
public sealed class Qs8ConcatTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Copies_equal_quantizations_and_requantizes_the_others(int axis)
    {
        var rng = new Random(axis + 40);
        var qy = QuantParams.PerTensor(0.05f, -10);
        var quants = new[] { qy, QuantParams.PerTensor(0.02f, 100), QuantParams.PerTensor(0.37f, -128), QuantParams.PerTensor(0.05f, 11) };
        var shapes = new List<int[]>();
        for (int i = 0; i < quants.Length; i++)
        {
            int[] shape = [2, 3, 4, 5];
            shape[axis] = i + 1;
            shapes.Add(shape);
        }
        var inputs = shapes.Select(s => RandomInt8(rng, s.Aggregate(1, (p, d) => p * d))).ToArray();
        var outShape = (int[])shapes[0].Clone();
        outShape[axis] = shapes.Sum(s => s[axis]);

        var b = new QuantizedModelBuilder();
        var ids = shapes.Select((s, i) => b.Input($"x{i}", DataType.Int8, s, quants[i])).ToArray();
        int yi = b.Activation("y", DataType.Int8, outShape, qy);
        b.Op(OpCode.Concat, ids, [yi], new OpParams().Set(ParamKey.Axis, axis), "concat").Output(yi);
        var actual = OpRunner.RunInt8(b.Build(), inputs.Select(OpRunner.Bytes).ToArray());

        int outer = outShape.Take(axis).Aggregate(1, (p, d) => p * d);
        int inner = outShape.Skip(axis + 1).Aggregate(1, (p, d) => p * d);
        int at = 0;
        var expected = new sbyte[actual.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inputs.Length; i++)
            {
                int block = shapes[i][axis] * inner;
                for (int e = 0; e < block; e++)
                {
                    int x = inputs[i][o * block + e];
                    var q = quants[i];
                    expected[at++] = q.Scale == qy.Scale && q.ZeroPoint == qy.ZeroPoint ? (sbyte)x : Rescale(x, q, qy);
                }
            }
        Assert.Equal(expected, actual);

        // The requantized values are the real values to within one output step.
        at = 0;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inputs.Length; i++)
            {
                int block = shapes[i][axis] * inner;
                for (int e = 0; e < block; e++, at++)
                {
                    double ideal = Math.Clamp(qy.ZeroPoint + Dequantize(inputs[i][o * block + e], quants[i]) / (double)qy.Scale, -128, 127);
                    Assert.True(Math.Abs(actual[at] - ideal) <= 1.0, $"input {i}: {actual[at]} vs {ideal:F3}");
                }
            }
    }

    private static sbyte Rescale(int x, QuantParams qx, QuantParams qy)
    {
        var (m, shift) = FixedPoint.QuantizeMultiplier(qx.Scale / ((double)(1 << 20) * qy.Scale));
        long v = qy.ZeroPoint + (long)FixedPoint.MultiplyByQuantizedMultiplier((x - qx.ZeroPoint) * (1 << 20), m, shift);
        return (sbyte)Math.Clamp(v, -128, 127);
    }
}
