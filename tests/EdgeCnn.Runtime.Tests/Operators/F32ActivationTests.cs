using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class F32ActivationTests
{
    private static readonly float[] Samples =
        [-30f, -6f, -3.5f, -3f, -2f, -1f, -0.5f, -1e-3f, -0f, 0f, 1e-6f, 0.25f, 0.5f, 1f, 2.5f, 3f, 3.2f, 6f, 7f, 30f];

    /// <summary>Each kind against its formula in double (ONNX definitions; erf by numerical integration).</summary>
    [Theory]
    [InlineData(ActivationKind.None, 0f, 0f)]
    [InlineData(ActivationKind.Relu, 0f, 0f)]
    [InlineData(ActivationKind.Clip, -1f, 6f)]
    [InlineData(ActivationKind.LeakyRelu, 0.2f, 0f)]
    [InlineData(ActivationKind.HardSigmoid, 0.2f, 0.5f)]
    [InlineData(ActivationKind.HardSwish, 0f, 0f)]
    [InlineData(ActivationKind.Sigmoid, 0f, 0f)]
    [InlineData(ActivationKind.Tanh, 0f, 0f)]
    [InlineData(ActivationKind.Sqrt, 0f, 0f)]
    [InlineData(ActivationKind.Exp, 0f, 0f)]
    [InlineData(ActivationKind.Log, 0f, 0f)]
    [InlineData(ActivationKind.Abs, 0f, 0f)]
    [InlineData(ActivationKind.Neg, 0f, 0f)]
    [InlineData(ActivationKind.Reciprocal, 0f, 0f)]
    [InlineData(ActivationKind.Floor, 0f, 0f)]
    [InlineData(ActivationKind.Ceil, 0f, 0f)]
    [InlineData(ActivationKind.Elu, 1.5f, 0f)]
    [InlineData(ActivationKind.Softplus, 0f, 0f)]
    [InlineData(ActivationKind.Erf, 0f, 0f)]
    public void Every_kind_matches_its_definition(ActivationKind kind, float alpha, float beta)
    {
        Func<double, double> f = v => ActivationDefinition.Apply(kind, v, alpha, beta);
        var values = Samples.Concat(Samples.Select(v => v * 0.37f)).ToArray();
        var expected = values.Select(v => f(v)).ToArray();
        var span = values.ToArray();
        F32Activation.Apply(kind, alpha, beta, span);
        for (int i = 0; i < values.Length; i++)
        {
            float scalar = F32Activation.Apply(kind, alpha, beta, values[i]);
            Assert.True(SameValue(scalar, span[i]), $"{kind}({values[i]}): scalar {scalar}, span {span[i]}");
            if (double.IsNaN(expected[i]) || double.IsInfinity(expected[i]))
                Assert.True(expected[i].Equals((double)scalar), $"{kind}({values[i]}) = {scalar}, expected {expected[i]}");
            else
                Assert.True(Math.Abs(scalar - expected[i]) <= 2e-7 + 2e-6 * Math.Abs(expected[i]),
                    $"{kind}({values[i]:R}) = {scalar:R}, expected {expected[i]:R}");
        }
    }

    [Theory]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Clip)]
    [InlineData(ActivationKind.LeakyRelu)]
    [InlineData(ActivationKind.HardSigmoid)]
    [InlineData(ActivationKind.HardSwish)]
    [InlineData(ActivationKind.Tanh)]
    public void Vector_path_equals_scalar_path_for_every_length(ActivationKind kind)
    {
        var rng = new Random(1);
        for (int length = 1; length <= 70; length++)
        {
            var x = GenericOpTestData.Random(rng, length, -8f, 8f);
            x[rng.Next(length)] = float.NaN;
            var y = new float[length + 1];
            y[length] = 12345f;
            F32Activation.Apply(kind, 0.5f, 4f, x, y.AsSpan(0, length));
            for (int i = 0; i < length; i++)
                Assert.True(SameValue(F32Activation.Apply(kind, 0.5f, 4f, x[i]), y[i]), $"{kind}, length {length}, element {i}: {x[i]} → {y[i]}");
            Assert.Equal(12345f, y[length]);
        }
    }

    [Fact]
    public void Unknown_kind_is_rejected()
    {
        Assert.False(F32Activation.IsKnown((ActivationKind)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => F32Activation.Apply((ActivationKind)99, 0, 0, new float[3]));
    }

    private static bool SameValue(float a, float b) => (float.IsNaN(a) && float.IsNaN(b)) || a == b;
}
