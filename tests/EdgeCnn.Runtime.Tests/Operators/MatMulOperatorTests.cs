using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class MatMulOperatorTests
{
    [Theory]
    [InlineData("3,4", "4,5", "3,5")]
    [InlineData("4", "4,5", "5")]
    [InlineData("3,4", "4", "3")]
    [InlineData("4", "4", "")]
    [InlineData("2,3,4", "4,5", "2,3,5")]
    [InlineData("2,3,4", "2,4,5", "2,3,5")]
    [InlineData("2,1,3,4", "1,5,4,6", "2,5,3,6")]
    [InlineData("5,4", "2,4,3", "2,5,3")]
    [InlineData("4", "3,4,2", "3,2")]
    [InlineData("2,3,4", "4", "2,3")]
    [InlineData("7,19", "19,37", "7,37")]
    [InlineData("1,40,33", "33,20", "1,40,20")]
    [InlineData("3,6,0", "0,4", "3,6,4")]
    public void Matches_numpy_matmul(string aText, string bText, string yText)
    {
        var aShape = BinaryOperatorTests.Parse(aText);
        var bShape = BinaryOperatorTests.Parse(bText);
        var yShape = BinaryOperatorTests.Parse(yText);
        var rng = new Random(aText.Length * 7 + bText.Length);
        var a = Random(rng, Count(aShape));
        var b = Random(rng, Count(bShape));
        var expected = NaiveMatMul(a, aShape, b, bShape, yShape);

        var actual = OneOpModel.Run(OpCode.MatMul, new OpParams(), [In(aShape, a), In(bShape, b)], yShape);
        AssertClose(expected, actual, rtol: 1e-5, atol: 1e-5);

        var withConstant = OneOpModel.Run(OpCode.MatMul, new OpParams(), [In(aShape, a), Const(bShape, b)], yShape);
        AssertClose(expected, withConstant, rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void Rejects_inconsistent_shapes()
    {
        AssertRejected(OpCode.MatMul, new OpParams(), [Zeros(3, 4), Zeros(5, 6)], [[3, 6]], "inner");
        AssertRejected(OpCode.MatMul, new OpParams(), [Zeros(2, 3, 4), Zeros(3, 4, 5)], [[3, 3, 5]], "broadcast");
        AssertRejected(OpCode.MatMul, new OpParams(), [Zeros(3, 4), Zeros(4, 5)], [[1, 3, 5]], "shape");
        AssertRejected(OpCode.MatMul, new OpParams(), [Zeros(4), Zeros(4)], [[1]], "shape");
    }

    /// <summary>numpy matmul spelled out: promote 1-D operands, broadcast batch axes by index, drop the promoted axes.</summary>
    private static double[] NaiveMatMul(float[] a, int[] aShape, float[] b, int[] bShape, int[] yShape)
    {
        int[] a2 = aShape.Length == 1 ? [1, aShape[0]] : aShape;
        int[] b2 = bShape.Length == 1 ? [bShape[0], 1] : bShape;
        int m = a2[^2], k = a2[^1], n = b2[^1];
        int batchRank = Math.Max(a2.Length, b2.Length) - 2;
        var batch = new int[batchRank];
        for (int i = 0; i < batchRank; i++)
        {
            int da = i - (batchRank - (a2.Length - 2)) >= 0 ? a2[i - (batchRank - (a2.Length - 2))] : 1;
            int db = i - (batchRank - (b2.Length - 2)) >= 0 ? b2[i - (batchRank - (b2.Length - 2))] : 1;
            batch[i] = Math.Max(da, db);
        }
        int batchCount = Count(batch);
        Assert.Equal(batchCount * m * n, Count(yShape));
        var result = new double[batchCount * m * n];
        for (int t = 0; t < batchCount; t++)
        {
            var index = Unravel(t, batch);
            int aBatch = BatchIndex(index, a2), bBatch = BatchIndex(index, b2);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int kk = 0; kk < k; kk++) sum += (double)a[(aBatch * m + i) * k + kk] * b[(bBatch * k + kk) * n + j];
                    result[(t * m + i) * n + j] = sum;
                }
        }
        return result;
    }

    private static int BatchIndex(int[] batchIndex, int[] matrixShape)
    {
        var own = matrixShape[..^2];
        int offset = batchIndex.Length - own.Length;
        var index = new int[own.Length];
        for (int i = 0; i < own.Length; i++) index[i] = own[i] == 1 ? 0 : batchIndex[i + offset];
        return Ravel(index, own);
    }
}
