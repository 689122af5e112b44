using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Structure tests of the passes that always run: identity removal, variadic decomposition and
/// BatchNormalization to affine.</summary>
public sealed class RequiredPassTests
{
    [Fact]
    public void IdentityDropoutAndFloatCastAreBypassed()
    {
        var b = new IrBuilder(opset: 13);
        var x = b.Input("x", 2, 3);
        var i = b.Op("Identity", [x], [2, 3]);
        var d = b.Node("Dropout", [i], [[2, 3], [2, 3]]).Outputs[0];
        var c = b.Op("Cast", [d], [2, 3], n => n.Set("to", (long)ElementType.Float32));
        var r = b.Op("Relu", [c], [2, 3]);
        b.Output(r);
        Assert.True(new RemoveIdentityPass().Run(b.Graph));
        var relu = Assert.Single(b.Graph.Nodes);
        Assert.Same(x, relu.Input(0));
    }

    [Fact]
    public void IdentityOfAGraphOutputKeepsTheOutputName()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 4);
        var r = b.Op("Relu", [x], [4]);
        var y = b.Op("Identity", [r], [4]);
        b.Output(y);
        new RemoveIdentityPass().Run(b.Graph);
        var relu = Assert.Single(b.Graph.Nodes);
        Assert.Equal(y.Name, relu.Outputs[0].Name);
        Assert.Same(relu.Outputs[0], b.Graph.Outputs[0]);
    }

    [Fact]
    public void IdentityFromInputToOutputBecomesACopy()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 4);
        b.Output(b.Op("Identity", [x], [4]));
        new RemoveIdentityPass().Run(b.Graph);
        Assert.True(Assert.Single(b.Graph.Nodes).Is(OpCode.Reshape));
    }

    [Fact]
    public void DropoutWithAUsedMaskIsUnsupported()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 4);
        var d = b.Node("Dropout", [x], [[4], [4]]);
        b.Output(d.Outputs[1]);
        var e = Assert.Throws<UnsupportedOperatorException>(() => new RemoveIdentityPass().Run(b.Graph));
        Assert.Equal("Dropout", e.OpType);
        Assert.Equal(d.Name, e.NodeName);
    }

    [Fact]
    public void MeanOfThreeBecomesTwoAddsAndAScale()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2, 3);
        var y = b.Input("y", 3);
        var z = b.Input("z", 1, 1);
        var m = b.Op("Mean", [x, y, z], [2, 3]);
        b.Output(m);
        new DecomposeVariadicPass().Run(b.Graph);
        Assert.Equal(3, b.Graph.Nodes.Count);
        Assert.All(b.Graph.Nodes, n => Assert.True(n.Is(OpCode.Binary)));
        Assert.Equal([(int)BinaryKind.Add, (int)BinaryKind.Add, (int)BinaryKind.Mul], b.Graph.Nodes.Select(n => n.Int(ParamKey.Kind, 0)));
        Assert.Equal(1f / 3f, GraphRewrite.ScalarOf(b.Graph.Nodes[2].Input(1)));
        Assert.Same(m, b.Graph.Nodes[2].Outputs[0]);
        b.Graph.Validate();
    }

    [Fact]
    public void MaxOfOneIsACopyAndMinOfTwoIsOneBinary()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 3);
        var one = b.Op("Max", [x], [3]);
        var two = b.Op("Min", [one, b.Const("c", 0.5f)], [3]);
        b.Output(two);
        new DecomposeVariadicPass().Run(b.Graph);
        Assert.True(b.Graph.Nodes[0].Is(OpCode.Reshape));
        Assert.Equal((int)BinaryKind.Min, b.Graph.Nodes[1].Int(ParamKey.Kind, 0));
    }

    [Theory]
    [InlineData(2, "ChannelAffine")]
    [InlineData(4, "ChannelAffine")]
    [InlineData(3, "Binary")]
    public void BatchNormalizationBecomesAffineWithTheFoldedConstants(int rank, string expectedOp)
    {
        var b = new IrBuilder();
        int[] shape = rank switch { 2 => [1, 2], 3 => [1, 2, 5], _ => [1, 2, 3, 3] };
        var x = b.Input("x", shape);
        var bn = b.Op("BatchNormalization", [x, b.Const("g", [2], [2f, 0.5f]), b.Const("b", [2], [1f, -1f]),
            b.Const("m", [2], [3f, 0f]), b.Const("v", [2], [4f, 0.25f])], shape, n => n.Set("epsilon", 0f));
        b.Output(bn);
        new BatchNormalizationPass().Run(b.Graph);
        Assert.Equal(expectedOp, b.Graph.Nodes[0].OpType);
        // a = g/sqrt(v+eps) = [1, 1]; b = B - m·a = [-2, -1]
        var scale = b.Graph.Nodes[0].Input(1).Constant!.AsFloats();
        Assert.Equal([1f, 1f], scale);
        var shiftNode = expectedOp == "Binary" ? b.Graph.Nodes[1] : b.Graph.Nodes[0];
        Assert.Equal([-2f, -1f], shiftNode.Input(expectedOp == "Binary" ? 1 : 2).Constant!.AsFloats());
        if (expectedOp == "Binary") Assert.Equal([2, 1], b.Graph.Nodes[0].Input(1).Shape!);
        Assert.Same(bn, b.Graph.Nodes[^1].Outputs[0]);
    }

    [Fact]
    public void BatchNormalizationWithComputedStatisticsIsUnsupported()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 2);
        var mean = b.Input("mean", 2);
        b.Output(b.Op("BatchNormalization", [x, b.Const("g", [2], [1f, 1f]), b.Const("b", [2], [0f, 0f]), mean, b.Const("v", [2], [1f, 1f])], [1, 2]));
        Assert.Throws<UnsupportedOperatorException>(() => new BatchNormalizationPass().Run(b.Graph));
    }

    [Fact]
    public void DescribeListsThePassesInOrderAndMarksOptimizations()
    {
        var names = PassPipeline.Describe();
        Assert.Equal("remove-identity", names[0]);
        Assert.Contains("constant-folding (optimize)", names);
        Assert.True(names.ToList().IndexOf("layout-nhwc") < names.ToList().IndexOf("transpose-optimization"));
        Assert.True(names.ToList().IndexOf("batchnorm-folding (optimize)") < names.ToList().IndexOf("activation-fusion (optimize)"));
        Assert.Equal(PassPipeline.Steps.Count, names.Count);
    }
}
