using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Quantization;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Quantized.Int8Reference;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// Int8 Add/Sub/Mul against the documented rescaling (TFLite's scheme for Add/Sub, the product for Mul) written
/// here with FixedPoint and naive broadcasting index math, byte for byte; and within one output step of the real
/// result of the dequantized operands.
/// </summary>
public sealed class Qs8BinaryTests
{
    private static readonly (int[] A, int[] B)[] Shapes =
    [
        ([2, 3, 4], [2, 3, 4]),
        ([2, 3, 4], []),
        ([], [2, 3, 4]),
        ([2, 3, 5], [5]),
        ([1, 3, 1, 5], [2, 1, 4, 1]),
        ([5, 1], [1, 37]),
        ([3, 1, 17], [3, 5, 1]),
        ([1], [1]),
    ];

    public static IEnumerable<TheoryDataRow<BinaryKind, int, ActivationKind>> Cases()
    {
        foreach (var kind in new[] { BinaryKind.Add, BinaryKind.Sub, BinaryKind.Mul })
        for (int s = 0; s < Shapes.Length; s++)
        foreach (var act in new[] { ActivationKind.None, ActivationKind.Relu, ActivationKind.Clip })
            yield return new(kind, s, act);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_documented_rescaling_with_broadcasting(BinaryKind kind, int shapeIndex, ActivationKind act)
    {
        var (aShape, bShape) = Shapes[shapeIndex];
        var rng = new Random((int)kind * 1000 + shapeIndex * 10 + (int)act);
        var outShape = BroadcastShape(aShape, bShape);
        var qa = QuantParams.PerTensor(0.01f + 0.1f * (float)rng.NextDouble(), rng.Next(-128, 128));
        var qb = QuantParams.PerTensor(0.01f + 0.1f * (float)rng.NextDouble(), rng.Next(-128, 128));
        float yScale = kind == BinaryKind.Mul ? qa.Scale * qb.Scale * 120 : (qa.Scale + qb.Scale) * 1.3f;
        var qy = QuantParams.PerTensor(yScale, rng.Next(-100, 100));
        var a = RandomInt8(rng, Count(aShape));
        var b = RandomInt8(rng, Count(bShape));

        var model = new QuantizedModelBuilder();
        int ai = model.Input("a", DataType.Int8, aShape, qa);
        int bi = model.Input("b", DataType.Int8, bShape, qb);
        int yi = model.Activation("y", DataType.Int8, outShape, qy);
        var p = new OpParams().Set(ParamKey.Kind, (int)kind).Set(ParamKey.Activation, (int)act);
        if (act == ActivationKind.Clip) p.Set(ParamKey.Alpha, -0.3f).Set(ParamKey.Beta, 0.8f);
        model.Op(OpCode.Binary, [ai, bi], [yi], p, "binary").Output(yi);
        var actual = OpRunner.RunInt8(model.Build(), OpRunner.Bytes(a), OpRunner.Bytes(b));

        var (lo, hi) = Bounds(act, -0.3f, 0.8f, qy.Scale, qy.ZeroPoint);
        for (int i = 0; i < actual.Length; i++)
        {
            var index = Unravel(i, outShape);
            int av = a[BroadcastSource(index, aShape)];
            int bv = b[BroadcastSource(index, bShape)];
            var expected = kind == BinaryKind.Mul ? Mul(av, qa, bv, qb, qy, lo, hi) : AddSub(kind == BinaryKind.Sub, av, qa, bv, qb, qy, lo, hi);
            Assert.True(expected == actual[i], $"element {i} ({av} {kind} {bv}): expected {expected}, got {actual[i]}");

            double real = kind switch
            {
                BinaryKind.Add => Dequantize(av, qa) + (double)Dequantize(bv, qb),
                BinaryKind.Sub => Dequantize(av, qa) - (double)Dequantize(bv, qb),
                _ => Dequantize(av, qa) * (double)Dequantize(bv, qb),
            };
            double ideal = Math.Min(Math.Max(qy.ZeroPoint + real / qy.Scale, lo), hi);
            Assert.True(Math.Abs(actual[i] - ideal) <= 1.0, $"element {i}: int8 {actual[i]} is more than one step from {ideal:F3}");
        }
    }

    /// <summary>TFLite's Add/Sub: both inputs to the scale 2·max(s_a, s_b)/2²⁰, add, requantize.</summary>
    private static sbyte AddSub(bool subtract, int a, QuantParams qa, int b, QuantParams qb, QuantParams qy, int lo, int hi)
    {
        double twiceMax = 2.0 * Math.Max(qa.Scale, qb.Scale);
        int sa = Apply((a - qa.ZeroPoint) * (1 << 20), qa.Scale / twiceMax);
        int sb = Apply((b - qb.ZeroPoint) * (1 << 20), qb.Scale / twiceMax);
        long sum = subtract ? (long)sa - sb : (long)sa + sb;
        return Requantize(sum, twiceMax / ((1 << 20) * (double)qy.Scale), qy.ZeroPoint, lo, hi);
    }

    private static sbyte Mul(int a, QuantParams qa, int b, QuantParams qb, QuantParams qy, int lo, int hi) =>
        Requantize((long)(a - qa.ZeroPoint) * (b - qb.ZeroPoint), (double)qa.Scale * qb.Scale / qy.Scale, qy.ZeroPoint, lo, hi);

    private static int Apply(int x, double real)
    {
        var (m, shift) = FixedPoint.QuantizeMultiplier(real);
        return FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift);
    }
}
