using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class GemmOperatorTests
{
    public enum CShape { None, Scalar, Row, Column, Full, OneByOne }

    public static TheoryData<int, int, int, bool, bool, float, float, CShape, bool> Cases => new()
    {
        { 3, 5, 4, false, false, 1f, 1f, CShape.None, false },
        { 3, 5, 4, true, false, 1f, 1f, CShape.Row, false },
        { 3, 5, 4, false, true, 1f, 1f, CShape.Row, true },
        { 3, 5, 4, false, true, 1f, 1f, CShape.Row, false },
        { 3, 5, 4, true, true, 0.5f, 2f, CShape.Full, false },
        { 7, 37, 19, false, false, 1f, 1f, CShape.Column, true },
        { 9, 20, 33, true, true, -1.5f, 0.25f, CShape.Scalar, true },
        { 1, 1000, 64, false, true, 1f, 1f, CShape.Row, true },
        { 5, 3, 1, false, false, 1f, 0.5f, CShape.OneByOne, false },
        { 4, 17, 8, false, false, 2f, 1f, CShape.Row, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_naive_gemm(int m, int n, int k, bool transA, bool transB, float alpha, float beta, CShape cShape, bool bConstant)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        int[] aShape = transA ? [k, m] : [m, k];
        int[] bShape = transB ? [n, k] : [k, n];
        int[] cDims = cShape switch
        {
            CShape.Scalar => [],
            CShape.Row => [n],
            CShape.Column => [m, 1],
            CShape.Full => [m, n],
            CShape.OneByOne => [1, 1],
            _ => [],
        };
        var c = Random(rng, Count(cDims));

        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    double av = transA ? a[kk * m + i] : a[i * k + kk];
                    double bv = transB ? b[j * k + kk] : b[kk * n + j];
                    sum += av * bv;
                }
                double cv = cShape switch
                {
                    CShape.None => 0,
                    CShape.Scalar or CShape.OneByOne => c[0],
                    CShape.Row => c[j],
                    CShape.Column => c[i],
                    _ => c[i * n + j],
                };
                expected[i * n + j] = alpha * sum + beta * cv;
            }

        var parameters = new OpParams().Set(ParamKey.TransA, transA ? 1 : 0).Set(ParamKey.TransB, transB ? 1 : 0)
            .Set(ParamKey.Alpha, alpha).Set(ParamKey.Beta, beta);
        var inputs = new List<TestTensor> { In(aShape, a), bConstant ? Const(bShape, b) : In(bShape, b) };
        if (cShape != CShape.None) inputs.Add(Const(cDims, c));
        var actual = OneOpModel.Run(OpCode.Gemm, parameters, inputs, [m, n]);

        AssertClose(expected, actual, rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void Applies_a_fused_activation()
    {
        var rng = new Random(3);
        var a = Random(rng, 4 * 6);
        var b = Random(rng, 6 * 9);
        var expected = new double[36];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 9; j++)
            {
                double sum = 0;
                for (int kk = 0; kk < 6; kk++) sum += (double)a[i * 6 + kk] * b[kk * 9 + j];
                expected[i * 9 + j] = Math.Max(0, sum);
            }

        var actual = OneOpModel.Run(OpCode.Gemm, new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu),
            [In([4, 6], a), Const([6, 9], b)], [4, 9]);

        AssertClose(expected, actual, rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void Rejects_inconsistent_shapes_and_params()
    {
        var plain = new OpParams();
        AssertRejected(OpCode.Gemm, plain, [Zeros(3, 4), Zeros(5, 6)], [[3, 6]], "inner");
        AssertRejected(OpCode.Gemm, plain, [Zeros(3, 4), Zeros(4, 6)], [[3, 5]], "shape");
        AssertRejected(OpCode.Gemm, plain, [Zeros(3, 4, 1), Zeros(4, 6)], [[3, 6]], "rank");
        AssertRejected(OpCode.Gemm, plain, [Zeros(3, 4), Zeros(4, 6), Zeros(2, 6)], [[3, 6]], "broadcast");
        AssertRejected(OpCode.Gemm, new OpParams().Set(ParamKey.TransA, 2), [Zeros(3, 4), Zeros(4, 6)], [[3, 6]], "TransA");
        AssertRejected(OpCode.Gemm, new OpParams().Set(ParamKey.Activation, (int)ActivationKind.LeakyRelu),
            [Zeros(3, 4), Zeros(4, 6)], [[3, 6]], "Alpha");
    }
}
