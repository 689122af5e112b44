using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class UnaryOperatorTests
{
    private static readonly float[] Samples = [-7.5f, -3f, -1f, -0.5f, -0.01f, 0f, 0.01f, 0.25f, 0.5f, 1f, 2.5f, 3f, 5.5f, 9f, -2.5f, 1.5f, 4f];

    private static readonly float[] PositiveSamples = [0.01f, 0.1f, 0.5f, 1f, 2f, 3.5f, 10f, 123.25f, 0.75f];

    public static TheoryData<ActivationKind, float?, float?> Kinds => new()
    {
        { ActivationKind.None, null, null },
        { ActivationKind.Relu, null, null },
        { ActivationKind.Clip, 0f, 6f },
        { ActivationKind.Clip, -1.5f, 2f },
        { ActivationKind.Clip, null, null },
        { ActivationKind.LeakyRelu, null, null },
        { ActivationKind.LeakyRelu, 0.2f, null },
        { ActivationKind.HardSigmoid, null, null },
        { ActivationKind.HardSigmoid, 0.3f, 0.4f },
        { ActivationKind.HardSwish, null, null },
        { ActivationKind.Sigmoid, null, null },
        { ActivationKind.Tanh, null, null },
        { ActivationKind.Exp, null, null },
        { ActivationKind.Abs, null, null },
        { ActivationKind.Neg, null, null },
        { ActivationKind.Floor, null, null },
        { ActivationKind.Ceil, null, null },
        { ActivationKind.Elu, null, null },
        { ActivationKind.Elu, 0.7f, null },
        { ActivationKind.Softplus, null, null },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Applies_the_ONNX_function(ActivationKind kind, float? alpha, float? beta)
    {
        var parameters = new OpParams().Set(ParamKey.Activation, (int)kind);
        if (alpha is { } a) parameters.Set(ParamKey.Alpha, a);
        if (beta is { } b) parameters.Set(ParamKey.Beta, b);
        var expected = Samples.Select(x => Reference(kind, x, alpha, beta)).ToArray();

        var actual = OneOpModel.Run(OpCode.Unary, parameters, [In([Samples.Length], Samples)], [Samples.Length]);

        AssertClose(expected, actual, rtol: 2e-6, atol: 1e-7);
    }

    [Theory]
    [InlineData(ActivationKind.Sqrt)]
    [InlineData(ActivationKind.Log)]
    [InlineData(ActivationKind.Reciprocal)]
    public void Applies_functions_of_positive_inputs(ActivationKind kind)
    {
        var expected = PositiveSamples.Select(x => Reference(kind, x, null, null)).ToArray();

        var actual = OneOpModel.Run(OpCode.Unary, new OpParams().Set(ParamKey.Activation, (int)kind),
            [In([3, 3], PositiveSamples)], [3, 3]);

        AssertClose(expected, actual, rtol: 2e-6, atol: 1e-7);
    }

    [Fact]
    public void Erf_matches_tabulated_values()
    {
        float[] x = [0f, 0.5f, -0.5f, 1f, 2f, -3f, 6f];
        double[] expected = [0, 0.5204998778130465, -0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014, 1];

        var actual = OneOpModel.Run(OpCode.Unary, new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Erf), [In([7], x)], [7]);

        AssertClose(expected, actual, rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void Rejects_an_unknown_function_or_a_reshaped_output()
    {
        AssertRejected(OpCode.Unary, new OpParams().Set(ParamKey.Activation, 99), [Zeros(2, 3)], [[2, 3]], "Activation");
        AssertRejected(OpCode.Unary, new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu), [Zeros(2, 3)], [[3, 2]], "shape");
    }

    /// <summary>The definition with ONNX's defaults for absent params (Clip unbounded, LeakyRelu 0.01, HardSigmoid
    /// 0.2/0.5, Elu 1).</summary>
    private static double Reference(ActivationKind kind, double x, float? alpha, float? beta) => ActivationDefinition.Apply(kind, x,
        alpha ?? kind switch
        {
            ActivationKind.Clip => double.NegativeInfinity,
            ActivationKind.LeakyRelu => 0.01,
            ActivationKind.HardSigmoid => 0.2,
            ActivationKind.Elu => 1.0,
            _ => 0,
        },
        beta ?? kind switch
        {
            ActivationKind.Clip => double.PositiveInfinity,
            ActivationKind.HardSigmoid => 0.5,
            _ => 0,
        });
}
