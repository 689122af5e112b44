using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class SoftmaxOperatorTests
{
    [Theory]
    [InlineData("2,3,4", 0, false)]
    [InlineData("2,3,4", 1, false)]
    [InlineData("2,3,4", 2, false)]
    [InlineData("2,3,4", 1, true)]
    [InlineData("2,3,4", 2, true)]
    [InlineData("3,10,40", 1, false)]
    [InlineData("3,10,40", 1, true)]
    [InlineData("1000", 0, false)]
    [InlineData("4,1,6", 1, true)]
    [InlineData("2,2,3,5", 3, false)]
    public void Matches_the_softmax_formula(string shapeText, int axis, bool log)
    {
        var shape = BinaryOperatorTests.Parse(shapeText);
        var x = Random(new Random(shape.Sum() + axis), Count(shape), -6f, 6f);

        var actual = OneOpModel.Run(OpCode.Softmax, new OpParams().Set(ParamKey.Axis, axis).Set(ParamKey.Log, log ? 1 : 0),
            [In(shape, x)], shape);

        AssertClose(NaiveSoftmax(x, shape, axis, log), actual, rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void Stays_finite_for_large_logits()
    {
        float[] x = [1000f, 1001f, 1002f, -1000f, 0f, 1000f];

        var soft = OneOpModel.Run(OpCode.Softmax, new OpParams().Set(ParamKey.Axis, 1), [In([2, 3], x)], [2, 3]);
        var logSoft = OneOpModel.Run(OpCode.Softmax, new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Log, 1), [In([2, 3], x)], [2, 3]);

        // e^0, e^1, e^2 over their sum; the second row is dominated by 1000.
        double s = 1 + Math.E + Math.E * Math.E;
        AssertClose([1 / s, Math.E / s, Math.E * Math.E / s, 0, 0, 1], soft, rtol: 1e-6, atol: 1e-7);
        AssertClose([-2 - Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)), -1 - Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)),
            -Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)), -2000, -1000, 0], logSoft, rtol: 1e-6, atol: 1e-5);
    }

    [Fact]
    public void Rejects_a_bad_axis_or_flag()
    {
        AssertRejected(OpCode.Softmax, new OpParams().Set(ParamKey.Axis, 3), [Zeros(2, 3, 4)], [[2, 3, 4]], "Axis");
        AssertRejected(OpCode.Softmax, new OpParams(), [Zeros(2, 3, 4)], [[2, 3, 4]], "Axis");
        AssertRejected(OpCode.Softmax, new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Log, 2), [Zeros(2, 3)], [[2, 3]], "Log");
        AssertRejected(OpCode.Softmax, new OpParams().Set(ParamKey.Axis, 1), [Zeros(2, 3)], [[3, 2]], "shape");
    }

    private static double[] NaiveSoftmax(float[] x, int[] shape, int axis, bool log)
    {
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var index = Unravel(i, shape);
            double max = double.NegativeInfinity, sum = 0;
            for (int k = 0; k < shape[axis]; k++)
            {
                index[axis] = k;
                max = Math.Max(max, x[Ravel(index, shape)]);
            }
            for (int k = 0; k < shape[axis]; k++)
            {
                index[axis] = k;
                sum += Math.Exp(x[Ravel(index, shape)] - max);
            }
            result[i] = log ? x[i] - max - Math.Log(sum) : Math.Exp(x[i] - max) / sum;
        }
        return result;
    }
}
