using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>The binary kernel's vector paths (both operands, scalar a, scalar b) against the scalar formula,
/// bit for bit, for every row length from 1 up, never writing past the row.</summary>
public sealed class F32BinaryReferenceTests
{
    private const float Sentinel = 98765.5f;

    public static IEnumerable<TheoryDataRow<BinaryKind>> Kinds() =>
        Enum.GetValues<BinaryKind>().Select(k => new TheoryDataRow<BinaryKind>(k));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_length_matches_the_scalar_formula(BinaryKind kind)
    {
        var rng = new Random((int)kind);
        for (int n = 1; n <= 40; n++)
        {
            var a = Random(rng, n, kind == BinaryKind.Pow ? 0.1f : -3f, 3f);
            var b = Random(rng, n, 0.25f, 2f);
            foreach (var (aStride, bStride) in new[] { (1, 1), (0, 1), (1, 0) })
            {
                var y = new float[n + 5];
                Array.Fill(y, Sentinel);

                F32BinaryReference.Run(kind, a, [aStride], b, [bStride], [n], y.AsSpan(0, n));

                for (int i = 0; i < n; i++)
                {
                    float expected = Formula(kind, a[i * aStride], b[i * bStride]);
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(y[i]),
                        $"{kind} n={n} strides=({aStride},{bStride}) element {i}: {y[i]:R}, expected {expected:R}");
                }
                for (int i = n; i < y.Length; i++) Assert.Equal(Sentinel, y[i]);
            }
        }
    }

    private static float Formula(BinaryKind kind, float a, float b) => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Pow => MathF.Pow(a, b),
        BinaryKind.Max => a >= b ? a : b,
        BinaryKind.Min => a <= b ? a : b,
        BinaryKind.PRelu => a < 0 ? a * b : a,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
