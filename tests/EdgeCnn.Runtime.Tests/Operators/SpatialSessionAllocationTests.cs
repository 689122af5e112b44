using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;
using static EdgeCnn.Runtime.Tests.Operators.SpatialTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

public sealed class SpatialSessionAllocationTests
{
    [Fact]
    public void Running_a_conv_and_pool_model_allocates_nothing()
    {
        var rng = new Random(9);
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 1, 16, 16, 8);
        int c1 = Conv(b, rng, x, 8, 16, 3, 1, ActivationKind.Relu, "conv3x3", [1, 16, 16, 16]);
        int p1 = b.AddActivation("pool", 1, 8, 8, 16);
        b.AddOp(OpCode.MaxPool2D, [c1], [p1], new OpParams().Set(ParamKey.Kernel, 2, 2).Set(ParamKey.Strides, 2, 2));
        int dw = Conv(b, rng, p1, 16, 16, 3, 16, ActivationKind.HardSwish, "depthwise", [1, 8, 8, 16]);
        int pw = Conv(b, rng, dw, 16, 24, 1, 1, ActivationKind.None, "pointwise", [1, 8, 8, 24]);
        int ap = b.AddActivation("avg", 1, 8, 8, 24);
        b.AddOp(OpCode.AveragePool2D, [pw], [ap], new OpParams().Set(ParamKey.Kernel, 3, 3).Set(ParamKey.Pads, 1, 1, 1, 1));
        int up = b.AddActivation("up", 1, 16, 16, 4);
        b.AddOp(OpCode.ConvTranspose2D, [ap, b.AddConstant("wt", [24, 2, 2, 4], Random(rng, 24 * 16))], [up],
            new OpParams().Set(ParamKey.Strides, 2, 2));
        int lrn = b.AddActivation("lrn", 1, 16, 16, 4);
        b.AddOp(OpCode.Lrn, [up], [lrn], new OpParams().Set(ParamKey.Size, 3));
        int gap = b.AddActivation("gap", 1, 1, 1, 4);
        b.AddOp(OpCode.GlobalAveragePool, [lrn], [gap]);
        b.MarkOutput(gap);
        var session = new Session(b.Build());

        var input = Random(rng, 16 * 16 * 8);
        var output = new float[4];
        for (int i = 0; i < 3; i++) session.Run(input, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(input, output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
    }

    private static int Conv(TestModelBuilder b, Random rng, int input, int cin, int cout, int k, int group, ActivationKind act, string name, int[] outShape)
    {
        int w = b.AddConstant(name + ".w", [cout, k, k, cin / group], Random(rng, cout * k * k * cin / group));
        int bias = b.AddConstant(name + ".b", [cout], Random(rng, cout));
        int y = b.AddActivation(name, outShape);
        b.AddOp(OpCode.Conv2D, [input, w, bias], [y], new OpParams().Set(ParamKey.Pads, k / 2, k / 2, k / 2, k / 2)
            .Set(ParamKey.Group, group).Set(ParamKey.Activation, (int)act), name);
        return y;
    }
}
