using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>The vectorized gemm must reproduce the reference bit for bit and never write past Y.</summary>
public sealed class F32GemmVectorTests
{
    private const float Sentinel = -12345.5f;

    public static IEnumerable<TheoryDataRow<int, int, bool>> Shapes()
    {
        foreach (int m in new[] { 1, 2, 3, 4, 5, 8, 9 })
            foreach (int k in new[] { 0, 1, 3, 16, 17 })
                foreach (bool bias in new[] { false, true })
                    yield return new TheoryDataRow<int, int, bool>(m, k, bias);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_the_reference_exactly_for_every_width(int m, int k, bool bias)
    {
        var rng = new Random(m * 100 + k);
        for (int n = 1; n <= 41; n++)
        {
            var a = Random(rng, m * k, -3f, 3f);
            var b = Random(rng, k * n, -3f, 3f);
            var biasValues = bias ? Random(rng, n) : [];
            foreach (bool transposedA in new[] { false, true })
            {
                int rowStride = transposedA ? 1 : k, colStride = transposedA ? m : 1;
                var expected = new float[m * n];
                F32GemmReference.Multiply(a, rowStride, colStride, b, biasValues, expected, m, n, k);
                var actual = new float[m * n + 9];
                Array.Fill(actual, Sentinel);

                F32GemmVector.Multiply(a, rowStride, colStride, b, biasValues, actual.AsSpan(0, m * n), m, n, k);

                for (int i = 0; i < m * n; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                        $"m={m} n={n} k={k} transposedA={transposedA}: element {i} is {actual[i]:R}, reference {expected[i]:R}");
                for (int i = m * n; i < actual.Length; i++) Assert.Equal(Sentinel, actual[i]);
            }
        }
    }

    [Fact]
    public void Reference_is_the_triple_loop()
    {
        float[] a = [1, 2, 3, 4, 5, 6];      // [2,3]
        float[] b = [1, 0, -1, 2, 0.5f, 1];  // [3,2]
        var y = new float[4];

        F32GemmReference.Multiply(a, 3, 1, b, [10, 20], y, 2, 2, 3);

        Assert.Equal([10 + 1 - 2 + 1.5f, 20 + 0 + 4 + 3, 10 + 4 - 5 + 3, 20 + 0 + 10 + 6], y);
    }

    [Fact]
    public void Rejects_operands_that_are_too_small()
    {
        Assert.Throws<ArgumentException>(() => F32GemmVector.Multiply(new float[5], 3, 1, new float[6], [], new float[4], 2, 2, 3));
        Assert.Throws<ArgumentException>(() => F32GemmVector.Multiply(new float[6], 3, 1, new float[5], [], new float[4], 2, 2, 3));
        Assert.Throws<ArgumentException>(() => F32GemmVector.Multiply(new float[6], 3, 1, new float[6], [], new float[3], 2, 2, 3));
    }
}
