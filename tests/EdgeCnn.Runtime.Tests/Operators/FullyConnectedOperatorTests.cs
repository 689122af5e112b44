using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class FullyConnectedOperatorTests
{
    [Theory]
    [InlineData("2,3", 4, "2,4", true, ActivationKind.None)]
    [InlineData("1,2,2,3", 5, "1,2,2,5", true, ActivationKind.Relu)]
    [InlineData("1,64", 1000, "1,1000", true, ActivationKind.None)]
    [InlineData("1,7,7,8", 10, "1,10", false, ActivationKind.None)]
    [InlineData("9,33", 17, "9,17", false, ActivationKind.HardSwish)]
    public void Matches_naive_fully_connected(string xText, int outChannels, string yText, bool bias, ActivationKind activation)
    {
        var xShape = BinaryOperatorTests.Parse(xText);
        var yShape = BinaryOperatorTests.Parse(yText);
        int m = Count(yShape) / outChannels;
        int k = Count(xShape) / m;
        var rng = new Random(k * 31 + outChannels);
        var x = Random(rng, Count(xShape));
        var w = Random(rng, outChannels * k);
        var b = Random(rng, outChannels);

        var expected = new double[m * outChannels];
        for (int i = 0; i < m; i++)
            for (int o = 0; o < outChannels; o++)
            {
                double sum = bias ? b[o] : 0;
                for (int kk = 0; kk < k; kk++) sum += (double)x[i * k + kk] * w[o * k + kk];
                expected[i * outChannels + o] = activation switch
                {
                    ActivationKind.Relu => Math.Max(0, sum),
                    ActivationKind.HardSwish => sum * Math.Clamp(sum / 6 + 0.5, 0, 1),
                    _ => sum,
                };
            }

        var inputs = new List<TestTensor> { In(xShape, x), Const([outChannels, k], w) };
        if (bias) inputs.Add(Const([outChannels], b));
        var actual = OneOpModel.Run(OpCode.FullyConnected, new OpParams().Set(ParamKey.Activation, (int)activation), inputs, yShape);

        AssertClose(expected, actual, rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void Rejects_inconsistent_shapes_and_variable_weights()
    {
        var w = Const([4, 3], new float[12]);
        AssertRejected(OpCode.FullyConnected, new OpParams(), [Zeros(2, 3), Zeros(4, 3)], [[2, 4]], "constant");
        AssertRejected(OpCode.FullyConnected, new OpParams(), [Zeros(2, 5), w], [[2, 4]], "K=3");
        AssertRejected(OpCode.FullyConnected, new OpParams(), [Zeros(2, 3), w], [[2, 5]], "output");
        AssertRejected(OpCode.FullyConnected, new OpParams(), [Zeros(2, 3), w, Const([5], new float[5])], [[2, 4]], "bias");
    }
}
