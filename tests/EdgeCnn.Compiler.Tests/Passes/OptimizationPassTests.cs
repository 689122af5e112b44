using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Structure tests of the optimization passes on canonical graphs; values are checked against
/// formulas written out here (numeric equivalence of whole networks is in <see cref="PipelineEquivalenceTests"/>).</summary>
public sealed class OptimizationPassTests
{
    private static Graph Canonical(IrBuilder b)
    {
        new DecomposeVariadicPass().Run(b.Graph);
        new BatchNormalizationPass().Run(b.Graph);
        new CanonicalizePass().Run(b.Graph);
        return b.Graph;
    }

    private static Graph Edge(IrBuilder b)
    {
        Canonical(b);
        new LayoutPass().Run(b.Graph);
        new TransposeOptimizationPass().Run(b.Graph);
        b.Graph.Validate();
        return b.Graph;
    }

    public static TheoryData<string> HardSwishForms => ["div-after", "mul-after", "div-inside", "mul-inside-swapped", "hardsigmoid"];

    [Theory]
    [MemberData(nameof(HardSwishForms))]
    public void HardSwishFormsAreFused(string form)
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2, 3);
        int[] s = [2, 3];
        Value Gate() => b.Op("Clip", [b.Op("Add", [b.Const("three", 3f), x], s), b.Const("zero", 0f), b.Const("six_max", 6f)], s);
        Value y = form switch
        {
            "div-after" => b.Op("Div", [b.Op("Mul", [x, Gate()], s), b.Const("six", 6f)], s),
            "mul-after" => b.Op("Mul", [b.Const("sixth", 1f / 6f), b.Op("Mul", [Gate(), x], s)], s),
            "div-inside" => b.Op("Mul", [x, b.Op("Div", [Gate(), b.Const("six", 6f)], s)], s),
            "mul-inside-swapped" => b.Op("Mul", [b.Op("Mul", [Gate(), b.Const("sixth", 1f / 6f)], s), x], s),
            _ => b.Op("Mul", [b.Op("HardSigmoid", [x], s, n => n.Set("alpha", 1f / 6f).Set("beta", 0.5f)), x], s),
        };
        b.Output(y);
        Canonical(b);
        Assert.True(new HardSwishFusionPass().Run(b.Graph));
        var n = Assert.Single(b.Graph.Nodes);
        Assert.Equal(ActivationKind.HardSwish, n.Activation());
        Assert.Same(x, n.Input(0));
        Assert.Same(y, n.Outputs[0]);
    }

    [Fact]
    public void HardSwishLookalikesAreLeftAlone()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 4);
        var other = b.Input("o", 4);
        // Adds 2 instead of 3.
        var g1 = b.Op("Clip", [b.Op("Add", [x, b.Const("two", 2f)], [4]), b.Const("z", 0f), b.Const("s", 6f)], [4]);
        var y1 = b.Op("Div", [b.Op("Mul", [x, g1], [4]), b.Const("six", 6f)], [4]);
        // Multiplies a different tensor than the one gated.
        var g2 = b.Op("Clip", [b.Op("Add", [x, b.Const("three", 3f)], [4]), b.Const("z2", 0f), b.Const("s2", 6f)], [4]);
        var y2 = b.Op("Div", [b.Op("Mul", [other, g2], [4]), b.Const("six2", 6f)], [4]);
        // The gate is also a graph output, so it must survive.
        var g3 = b.Op("Clip", [b.Op("Add", [x, b.Const("three3", 3f)], [4]), b.Const("z3", 0f), b.Const("s3", 6f)], [4]);
        var y3 = b.Op("Div", [b.Op("Mul", [x, g3], [4]), b.Const("six3", 6f)], [4]);
        b.Output(y1, y2, y3, g3);
        Canonical(b);
        int before = b.Graph.Nodes.Count;
        Assert.False(new HardSwishFusionPass().Run(b.Graph));
        Assert.Equal(before, b.Graph.Nodes.Count);
    }

    [Fact]
    public void ChannelShufflePatternBecomesOneNode()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 6, 2, 2);
        var r1 = b.Op("Reshape", [x, b.Longs("s1", 1, 3, 2, 2, 2)], [1, 3, 2, 2, 2]);
        var t = b.Op("Transpose", [r1], [1, 2, 3, 2, 2], n => n.Set("perm", [0L, 2, 1, 3, 4]));
        var y = b.Op("Reshape", [t, b.Longs("s2", 1, 6, 2, 2)], [1, 6, 2, 2]);
        b.Output(y);
        Canonical(b);
        Assert.True(new ChannelShuffleFusionPass().Run(b.Graph));
        var n = Assert.Single(b.Graph.Nodes);
        Assert.True(n.Is(OpCode.ChannelShuffle));
        Assert.Equal(3, n.Int(ParamKey.Group, 0));
        Assert.Equal(1, n.Int(ParamKey.Axis, -1));
        Assert.Same(y, n.Outputs[0]);
    }

    [Fact]
    public void OtherTransposesBetweenReshapesAreNotShuffles()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 6, 2, 2);
        var r1 = b.Op("Reshape", [x, b.Longs("s1", 1, 3, 2, 2, 2)], [1, 3, 2, 2, 2]);
        var t = b.Op("Transpose", [r1], [1, 3, 2, 2, 2], n => n.Set("perm", [0L, 1, 2, 4, 3]));
        b.Output(b.Op("Reshape", [t, b.Longs("s2", 1, 6, 2, 2)], [1, 6, 2, 2]));
        Canonical(b);
        Assert.False(new ChannelShuffleFusionPass().Run(b.Graph));
    }

    [Fact]
    public void GemmWithConstantWeightsBecomesFullyConnectedWithAlphaAndBetaFolded()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2, 2, 1, 1);
        var flat = b.Op("Flatten", [x], [2, 2]);
        // B is [K,N] = [2,3] (transB = 0): W = alpha·Bᵀ; bias = beta·C.
        var y = b.Op("Gemm", [flat, b.Const("B", [2, 3], [1, 2, 3, 4, 5, 6]), b.Const("C", [3], [1, 1, 2])], [2, 3],
            n => n.Set("alpha", 2f).Set("beta", 0.5f));
        b.Output(y);
        Canonical(b);
        Assert.True(new FullyConnectedFusionPass().Run(b.Graph));
        var fc = Assert.Single(b.Graph.Nodes);
        Assert.True(fc.Is(OpCode.FullyConnected));
        Assert.Same(x, fc.Input(0));
        Assert.Equal([3, 2], fc.Input(1).Shape!);
        Assert.Equal([2f, 8f, 4f, 10f, 6f, 12f], fc.Input(1).Constant!.AsFloats());
        Assert.Equal([0.5f, 0.5f, 1f], fc.Input(2).Constant!.AsFloats());
        Assert.Empty(fc.Attributes);
    }

    [Fact]
    public void GemmWithComputedWeightsOrTransposedAStaysGemm()
    {
        var b = new IrBuilder();
        var a = b.Input("a", 2, 3);
        var w = b.Input("w", 3, 4);
        b.Output(b.Op("Gemm", [a, w], [2, 4]), b.Op("Gemm", [b.Input("at", 3, 2), b.Random("c", 3, 4)], [2, 4], n => n.Set("transA", 1L)));
        Canonical(b);
        Assert.False(new FullyConnectedFusionPass().Run(b.Graph));
    }

    [Fact]
    public void BatchNormIsFoldedIntoTheConvolutionWeightsAndBias()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 1, 2, 2);
        var conv = b.Op("Conv", [x, b.Const("w", [2, 1, 1, 1], [1f, 2f]), b.Const("bias", [2], [0.5f, -1f])], [1, 2, 2, 2]);
        var bn = b.Op("BatchNormalization", [conv, b.Const("g", [2], [2f, 3f]), b.Const("beta", [2], [1f, 0f]),
            b.Const("m", [2], [0f, 1f]), b.Const("v", [2], [1f, 1f])], [1, 2, 2, 2], n => n.Set("epsilon", 0f));
        b.Output(bn);
        Edge(b);
        Assert.True(new BatchNormFoldingPass().Run(b.Graph));
        Assert.DoesNotContain(b.Graph.Nodes, n => n.Is(OpCode.ChannelAffine));
        var c = b.Graph.Nodes.Single(n => n.Is(OpCode.Conv2D));
        // scale = g/√v = [2, 3], shift = beta − m·scale = [1, −3]; W' = W·scale, B' = B·scale + shift.
        Assert.Equal([2f, 6f], c.Input(1).Constant!.AsFloats());
        Assert.Equal([2f, -6f], c.Input(2).Constant!.AsFloats());
    }

    [Fact]
    public void ABiasWrittenAsASeparateAddAndAChannelScaleFoldIntoTheConvolution()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 1, 2, 2);
        var conv = b.Op("Conv", [x, b.Const("w", [2, 1, 1, 1], [1f, 2f])], [1, 2, 2, 2]);
        var scaled = b.Op("Mul", [conv, b.Const("s", [2, 1, 1], [3f, -1f])], [1, 2, 2, 2]);
        var biased = b.Op("Add", [b.Const("bias", [1, 2, 1, 1], [0.5f, 0.25f]), scaled], [1, 2, 2, 2]);
        var shifted = b.Op("Sub", [biased, b.Const("k", 1f)], [1, 2, 2, 2]);
        b.Output(b.Op("MaxPool", [shifted], [1, 2, 1, 1], n => n.Set("kernel_shape", [2L, 2])));
        Edge(b);
        Assert.True(new BatchNormFoldingPass().Run(b.Graph));
        var c = b.Graph.Nodes.Single(n => n.Is(OpCode.Conv2D));
        Assert.DoesNotContain(b.Graph.Nodes, n => n.Is(OpCode.Binary));
        // W' = W·s = [3, −2]; bias' = (0·s + [0.5, 0.25]) − 1 = [−0.5, −0.75].
        Assert.Equal([3f, -2f], c.Input(1).Constant!.AsFloats());
        Assert.Equal([-0.5f, -0.75f], c.Input(2).Constant!.AsFloats());
    }

    [Fact]
    public void BatchNormAfterAConvWithAnotherReaderIsNotFolded()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 1, 2, 2);
        var conv = b.Op("Conv", [x, b.Const("w", [2, 1, 1, 1], [1f, 2f])], [1, 2, 2, 2]);
        var bn = b.Op("BatchNormalization", [conv, b.Const("g", [2], [2f, 3f]), b.Const("beta", [2], [1f, 0f]),
            b.Const("m", [2], [0f, 1f]), b.Const("v", [2], [1f, 1f])], [1, 2, 2, 2]);
        b.Output(bn, conv);
        Edge(b);
        Assert.False(new BatchNormFoldingPass().Run(b.Graph));
    }

    [Fact]
    public void ActivationsFuseIntoTheirProducerWhenItIsTheOnlyReader()
    {
        var b = new IrBuilder(opset: 13);
        var x = b.Input("x", 1, 2, 3, 3);
        var c1 = b.Op("Conv", [x, b.Random("w1", 2, 2, 1, 1)], [1, 2, 3, 3]);
        var a1 = b.Op("Clip", [c1, b.Const("lo", 0f), b.Const("hi", 6f)], [1, 2, 3, 3]);
        var c2 = b.Op("Conv", [a1, b.Random("w2", 2, 2, 1, 1)], [1, 2, 3, 3]);
        var a2 = b.Op("LeakyRelu", [c2], [1, 2, 3, 3], n => n.Set("alpha", 0.2f));
        var y = b.Op("Add", [a2, c2], [1, 2, 3, 3]);
        b.Output(y);
        Edge(b);
        Assert.True(new ActivationFusionPass().Run(b.Graph));
        var convs = b.Graph.Nodes.Where(n => n.Is(OpCode.Conv2D)).ToList();
        Assert.Equal(ActivationKind.Clip, convs[0].Activation());
        Assert.Equal(0f, convs[0].Float(ParamKey.Alpha, -1));
        Assert.Equal(6f, convs[0].Float(ParamKey.Beta, -1));
        // c2 is also read by the Add, so its LeakyRelu stays standalone.
        Assert.Equal(ActivationKind.None, convs[1].Activation());
        Assert.Single(b.Graph.Nodes, n => n.Is(OpCode.Unary));
    }

    [Fact]
    public void GemmTakesOnlyParameterlessActivations()
    {
        var b = new IrBuilder();
        var a = b.Input("a", 2, 3);
        var w = b.Input("w", 3, 4);
        var g1 = b.Op("Gemm", [a, w], [2, 4]);
        var g2 = b.Op("Gemm", [a, w], [2, 4]);
        b.Output(b.Op("Relu", [g1], [2, 4]), b.Op("LeakyRelu", [g2], [2, 4]));
        Canonical(b);
        new ActivationFusionPass().Run(b.Graph);
        var gemms = b.Graph.Nodes.Where(n => n.Is(OpCode.Gemm)).ToList();
        Assert.Equal(ActivationKind.Relu, gemms[0].Activation());
        Assert.Equal(ActivationKind.None, gemms[1].Activation());
    }

    [Fact]
    public void ConstantFoldingComputesWeightArithmetic()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2);
        var w = b.Op("Mul", [b.Const("a", [2], [1f, 2f]), b.Const("k", 3f)], [2]);
        var y = b.Op("Add", [x, w], [2]);
        b.Output(y);
        Assert.True(new ConstantFoldingPass().Run(b.Graph));
        var add = Assert.Single(b.Graph.Nodes);
        Assert.Equal([3f, 6f], add.Input(1).Constant!.AsFloats());
    }

    [Fact]
    public void DeadNodesAreRemovedTransitively()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2);
        var dead = b.Op("Exp", [b.Op("Relu", [x], [2])], [2]);
        b.Output(b.Op("Neg", [x], [2]));
        Assert.NotNull(dead);
        Assert.True(new DeadNodeEliminationPass().Run(b.Graph));
        Assert.Equal("Neg", Assert.Single(b.Graph.Nodes).OpType);
    }
}
