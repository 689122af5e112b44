using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>The int8 Unary (a 256-entry lookup table) and Softmax (int8 in, float out).</summary>
public sealed class Qs8LookupAndSoftmaxTests
{
    [Fact]
    public void Unary_looks_every_value_up_in_the_table()
    {
        var rng = new Random(3);
        var qx = QuantParams.PerTensor(0.1f, 4);
        var qy = QuantParams.PerTensor(0.02f, -9);
        var table = RandomInt8(rng, 256);
        // Every int8 value, both extremes included, plus random ones in an odd-sized tensor.
        var x = Enumerable.Range(-128, 256).Select(v => (sbyte)v).Concat(RandomInt8(rng, 77)).ToArray();

        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, [x.Length], qx);
        int ti = b.Int8Constant("table", [256], qy, table);
        int yi = b.Activation("y", DataType.Int8, [x.Length], qy);
        b.Op(OpCode.Unary, [xi, ti], [yi], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Sigmoid), "lut").Output(yi);
        var actual = OpRunner.RunInt8(b.Build(), OpRunner.Bytes(x));

        Assert.Equal(x.Select(v => table[v + 128]).ToArray(), actual);
    }

    [Theory]
    [InlineData(new[] { 2, 10 }, 1, false)]
    [InlineData(new[] { 2, 3, 4 }, 1, false)]
    [InlineData(new[] { 3, 7 }, 0, true)]
    public void Softmax_of_int8_is_the_float_softmax_of_the_dequantized_input(int[] shape, int axis, bool log)
    {
        var rng = new Random(shape.Sum() + axis);
        var q = QuantParams.PerTensor(0.08f, 17);
        int count = shape.Aggregate(1, (p, d) => p * d);
        var x = RandomInt8(rng, count);
        var b = new QuantizedModelBuilder();
        int xi = b.Input("x", DataType.Int8, shape, q);
        int yi = b.Activation("y", DataType.Float32, shape);
        b.Op(OpCode.Softmax, [xi], [yi], new OpParams().Set(ParamKey.Axis, axis).Set(ParamKey.Log, log ? 1 : 0), "softmax").Output(yi);
        var actual = OpRunner.Run(b.Build(), OpRunner.Bytes(x))[0];
        var y = new float[count];
        Buffer.BlockCopy(actual, 0, y, 0, actual.Length);

        int outer = shape.Take(axis).Aggregate(1, (p, d) => p * d), n = shape[axis], inner = shape.Skip(axis + 1).Aggregate(1, (p, d) => p * d);
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            var values = Enumerable.Range(0, n).Select(k => (double)Dequantize(x[(o * n + k) * inner + i], q)).ToArray();
            double max = values.Max();
            double sum = values.Sum(v => Math.Exp(v - max));
            for (int k = 0; k < n; k++)
            {
                double expected = log ? values[k] - max - Math.Log(sum) : Math.Exp(values[k] - max) / sum;
                float got = y[(o * n + k) * inner + i];
                Assert.True(Math.Abs(got - expected) <= 1e-6 + 1e-5 * Math.Abs(expected), $"[{o},{k},{i}]: expected {expected}, got {got}");
            }
        }
    }
}
