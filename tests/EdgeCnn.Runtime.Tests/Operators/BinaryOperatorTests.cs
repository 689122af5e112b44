using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class BinaryOperatorTests
{
    private static readonly (string A, string B)[] ShapePairs =
    [
        ("2,3,4", "2,3,4"),
        ("2,3,4", ""),
        ("", "2,3,4"),
        ("2,3,4", "4"),
        ("2,3,4", "3,1"),
        ("1,3,1,5", "2,1,4,1"),
        ("2,1,5", "1,3,1"),
        ("5,1", "1,37"),
        ("2,3,37", "37"),
        ("37", "2,3,37"),
        ("2,33", "2,33"),
        ("4,1,1", "2,4,6,7"),
        ("2,1,3,1,2,3", "1,2,1,2,1,3"),
        ("3,1,17", "3,5,1"),
        ("1", "1"),
        ("8,1", "8,9"),
    ];

    public static IEnumerable<TheoryDataRow<BinaryKind, string, string>> Cases()
    {
        foreach (var kind in Enum.GetValues<BinaryKind>())
            foreach (var pair in ShapePairs)
                yield return new TheoryDataRow<BinaryKind, string, string>(kind, pair.A, pair.B);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_naive_broadcasting(BinaryKind kind, string aShapeText, string bShapeText)
    {
        var aShape = Parse(aShapeText);
        var bShape = Parse(bShapeText);
        var rng = new Random(TestSeed.Of(aShapeText) ^ (bShapeText.Length * 31) ^ (int)kind);
        var a = kind == BinaryKind.Pow ? Random(rng, Count(aShape), 0.25f, 2f) : Random(rng, Count(aShape), -2f, 2f);
        var b = Random(rng, Count(bShape), 0.25f, 2f);
        if (kind != BinaryKind.Pow)
            for (int i = 0; i < b.Length; i += 2) b[i] = -b[i];
        var outShape = BroadcastShape(aShape, bShape);

        var expected = NaiveBinary(kind, a, aShape, b, bShape, outShape);
        var parameters = new OpParams().Set(ParamKey.Kind, (int)kind);
        var actual = OneOpModel.Run(OpCode.Binary, parameters, [In(aShape, a), In(bShape, b)], outShape);
        AssertClose(expected, actual, rtol: 2e-6, atol: 1e-7);

        // A constant second operand (weights, folded scalars) goes through the same path.
        var withConstant = OneOpModel.Run(OpCode.Binary, parameters, [In(aShape, a), Const(bShape, b)], outShape);
        AssertClose(expected, withConstant, rtol: 2e-6, atol: 1e-7);
    }

    [Fact]
    public void Applies_the_fused_activation_after_the_operation()
    {
        var rng = new Random(5);
        int[] shape = [3, 19];
        var a = Random(rng, 57, -8f, 8f);
        var b = Random(rng, 19, -2f, 2f);
        var parameters = new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Mul)
            .Set(ParamKey.Activation, (int)ActivationKind.Clip).Set(ParamKey.Alpha, 0f).Set(ParamKey.Beta, 6f);

        var actual = OneOpModel.Run(OpCode.Binary, parameters, [In(shape, a), Const([19], b)], shape);

        var expected = new double[57];
        for (int i = 0; i < 57; i++) expected[i] = Math.Clamp((double)a[i] * b[i % 19], 0, 6);
        AssertClose(expected, actual, rtol: 1e-6);
    }

    [Fact]
    public void Propagates_NaN_through_max_and_min()
    {
        float[] a = [float.NaN, 1f, 2f, float.NaN, 5f, 6f, 7f, 8f, 9f, 10f, 11f];
        float[] b = [0f, float.NaN, 3f, 4f, 4f, 7f, 6f, 9f, 8f, float.NaN, 12f];
        foreach (var kind in new[] { BinaryKind.Max, BinaryKind.Min })
        {
            var actual = OneOpModel.Run(OpCode.Binary, new OpParams().Set(ParamKey.Kind, (int)kind), [In([11], a), In([11], b)], [11]);
            var expected = a.Select((v, i) => kind == BinaryKind.Max ? (double)MathF.Max(v, b[i]) : MathF.Min(v, b[i])).ToArray();
            AssertClose(expected, actual, rtol: 0, atol: 0);
        }
    }

    [Fact]
    public void Rejects_inconsistent_shapes_and_params()
    {
        var add = new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add);
        AssertRejected(OpCode.Binary, add, [Zeros(2, 3), Zeros(4)], [[2, 3]], "broadcast");
        AssertRejected(OpCode.Binary, add, [Zeros(2, 3), Zeros(3)], [[2, 4]], "shape");
        AssertRejected(OpCode.Binary, add, [Zeros(2, 3), Zeros(3)], [[1, 2, 3]], "shape");
        AssertRejected(OpCode.Binary, new OpParams().Set(ParamKey.Kind, 42), [Zeros(3), Zeros(3)], [[3]], "Kind");
        AssertRejected(OpCode.Binary, new OpParams(), [Zeros(3), Zeros(3)], [[3]], "Kind");
        AssertRejected(OpCode.Binary, add, [Zeros(3)], [[3]], "inputs");
    }

    internal static int[] Parse(string shape) =>
        shape.Length == 0 ? [] : shape.Split(',').Select(int.Parse).ToArray();

    private static double[] NaiveBinary(BinaryKind kind, float[] a, int[] aShape, float[] b, int[] bShape, int[] outShape)
    {
        var result = new double[Count(outShape)];
        for (int i = 0; i < result.Length; i++)
        {
            var index = Unravel(i, outShape);
            double x = a[BroadcastSource(index, aShape)], y = b[BroadcastSource(index, bShape)];
            result[i] = kind switch
            {
                BinaryKind.Add => x + y,
                BinaryKind.Sub => x - y,
                BinaryKind.Mul => x * y,
                BinaryKind.Div => x / y,
                BinaryKind.Pow => Math.Pow(x, y),
                BinaryKind.Max => Math.Max(x, y),
                BinaryKind.Min => Math.Min(x, y),
                BinaryKind.PRelu => x < 0 ? x * y : x,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
        return result;
    }
}
