using EdgeCnn.Runtime.Model;
using static EdgeCnn.Runtime.Tests.Operators.GenericOpTestData;

namespace EdgeCnn.Runtime.Tests.Operators;

/// <summary>Invoking the generic operators must not allocate: everything is decided when the session is prepared.</summary>
public sealed class GenericOperatorAllocationTests
{
    [Fact]
    public void Binary_softmax_transpose_model_runs_without_allocating()
    {
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 2, 3, 4, 5);
        int bias = b.AddConstant("bias", [5], [0.5f, -1f, 2f, 0f, 0.25f]);
        int sum = b.AddActivation("sum", 2, 3, 4, 5);
        int soft = b.AddActivation("soft", 2, 3, 4, 5);
        int y = b.AddActivation("y", 2, 4, 5, 3);
        b.AddOp(OpCode.Binary, [x, bias], [sum], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add))
            .AddOp(OpCode.Softmax, [sum], [soft], new OpParams().Set(ParamKey.Axis, 1))
            .AddOp(OpCode.Transpose, [soft], [y], new OpParams().Set(ParamKey.Perm, 0, 2, 3, 1))
            .MarkOutput(y);

        var output = AssertRunsWithoutAllocating(new Session(b.Build()), Random(new Random(1), 120));

        // Softmax over axis 1 (now the last axis) sums to one.
        for (int i = 0; i < output.Length; i += 3) Assert.Equal(1.0, output[i] + output[i + 1] + output[i + 2], 5);
    }

    [Fact]
    public void A_model_using_every_generic_operator_runs_without_allocating()
    {
        var rng = new Random(2);
        var b = new TestModelBuilder();
        int x = b.AddInput("x", 4, 6);
        int t1 = b.AddActivation("tanh", 4, 6);
        int t2 = b.AddActivation("gemm", 4, 8);
        int t3 = b.AddActivation("matmul", 4, 5);
        int t4 = b.AddActivation("fc", 4, 6);
        int s1 = b.AddActivation("split1", 4, 2);
        int s2 = b.AddActivation("split2", 4, 4);
        int t5 = b.AddActivation("concat", 4, 6);
        int t6 = b.AddActivation("slice", 4, 3);
        int t7 = b.AddActivation("pad", 5, 4);
        int t8 = b.AddActivation("reshape", 1, 5, 4, 1);
        int t9 = b.AddActivation("linear", 1, 10, 8, 1);
        int t9b = b.AddActivation("nearest", 1, 10, 8, 1);
        int t10 = b.AddActivation("difference", 1, 10, 8, 1);
        int t11 = b.AddActivation("mean", 1, 10, 1);
        int t12 = b.AddActivation("gather", 1, 3, 1);
        int g = b.AddActivation("self_gemm", 4, 4);
        int gs = b.AddActivation("self_gemm_sum");
        int sum = b.AddActivation("sum", 1, 3, 1);
        int y = b.AddActivation("y", 1, 3, 1);
        int w1 = b.AddConstant("w1", [6, 8], Random(rng, 48));
        int c1 = b.AddConstant("c1", [8], Random(rng, 8));
        int w2 = b.AddConstant("w2", [8, 5], Random(rng, 40));
        int w3 = b.AddConstant("w3", [6, 5], Random(rng, 30));
        int b3 = b.AddConstant("b3", [6], Random(rng, 6));
        var resize = new OpParams().Set(ParamKey.CoordinateMode, (int)ResizeCoordinateMode.HalfPixel).Set(ParamKey.Scales, 1f, 2f, 2f, 1f);

        b.AddOp(OpCode.Unary, [x], [t1], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Tanh))
            .AddOp(OpCode.Gemm, [t1, w1, c1], [t2])
            .AddOp(OpCode.MatMul, [t2, w2], [t3])
            .AddOp(OpCode.FullyConnected, [t3, w3, b3], [t4], new OpParams().Set(ParamKey.Activation, (int)ActivationKind.Relu))
            .AddOp(OpCode.Split, [t4], [s1, s2], new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Sizes, 2, 4))
            .AddOp(OpCode.Concat, [s2, s1], [t5], new OpParams().Set(ParamKey.Axis, 1))
            .AddOp(OpCode.Slice, [t5], [t6], new OpParams().Set(ParamKey.Starts, 3, 0).Set(ParamKey.Ends, -1, 6).Set(ParamKey.Steps, -1, 2))
            .AddOp(OpCode.Pad, [t6], [t7], new OpParams().Set(ParamKey.Mode, (int)PadMode.Reflect).Set(ParamKey.Pads, 1, 0, 0, 1))
            .AddOp(OpCode.Reshape, [t7], [t8])
            .AddOp(OpCode.Resize, [t8], [t9], resize.Set(ParamKey.Mode, (int)ResizeMode.Linear))
            .AddOp(OpCode.Resize, [t8], [t9b], new OpParams().Set(ParamKey.Mode, (int)ResizeMode.Nearest).Set(ParamKey.Scales, 1f, 2f, 2f, 1f))
            .AddOp(OpCode.Binary, [t9, t9b], [t10], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Sub))
            .AddOp(OpCode.Reduce, [t10], [t11], new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Mean).Set(ParamKey.Axes, 2).Set(ParamKey.KeepDims, 0))
            .AddOp(OpCode.Gather, [t11], [t12], new OpParams().Set(ParamKey.Axis, 1).Set(ParamKey.Indices, 0, 9, 3).Set(ParamKey.IndicesShape, 3))
            .AddOp(OpCode.Gemm, [t1, t1], [g], new OpParams().Set(ParamKey.TransB, 1))
            .AddOp(OpCode.Reduce, [g], [gs], new OpParams().Set(ParamKey.Kind, (int)ReduceKind.Sum).Set(ParamKey.KeepDims, 0))
            .AddOp(OpCode.Binary, [t12, gs], [sum], new OpParams().Set(ParamKey.Kind, (int)BinaryKind.Add))
            .AddOp(OpCode.Softmax, [sum], [y], new OpParams().Set(ParamKey.Axis, 1))
            .MarkOutput(y);

        var output = AssertRunsWithoutAllocating(new Session(b.Build()), Random(rng, 24));

        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1.0, output.Sum(), 5);
    }

    private static float[] AssertRunsWithoutAllocating(Session session, float[] input)
    {
        var output = new float[session.Model.OutputInfo(0).ElementCount];
        for (int i = 0; i < 3; i++) session.Run(input, output);
        var first = (float[])output.Clone();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) session.Run(input, output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(first, output);
        return output;
    }
}
