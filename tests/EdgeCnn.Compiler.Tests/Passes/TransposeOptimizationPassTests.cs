using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Transpose cancellation, sinking and hoisting on small canonical graphs (the layout pass builds the transposes).</summary>
public sealed class TransposeOptimizationPassTests
{
    private static int Transposes(Graph g) => g.Nodes.Count(n => n.Is(OpCode.Transpose));

    private static Graph Optimize(IrBuilder b)
    {
        foreach (var pass in new IGraphPass[] { new CanonicalizePass(), new LayoutPass(), new TransposeOptimizationPass() })
        {
            pass.Run(b.Graph);
            b.Graph.Validate();
        }
        return b.Graph;
    }

    private static Value Conv(IrBuilder b, Value x, int cin, int cout) =>
        b.Op("Conv", [x, b.Random($"w{cin}_{cout}_{b.Graph.Nodes.Count}", cout, cin, 1, 1)], [x.Shape![0], cout, x.Shape[2], x.Shape[3]]);

    [Fact]
    public void InverseTransposePairsCancel()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 2, 3, 4);
        var t = b.Op("Transpose", [x], [1, 3, 4, 2], n => n.Set("perm", [0L, 2, 3, 1]));
        var u = b.Op("Transpose", [t], [1, 2, 3, 4], n => n.Set("perm", [0L, 3, 1, 2]));
        b.Output(b.Op("Relu", [u], [1, 2, 3, 4]));
        var g = Optimize(b);
        var relu = Assert.Single(g.Nodes);
        Assert.Same(x, relu.Input(0));
    }

    [Fact]
    public void ConvChainWithActivationsKeepsOneTransposeEachSide()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 3, 4, 4);
        var h = b.Op("Relu", [Conv(b, x, 3, 8)], [1, 8, 4, 4]);
        h = b.Op("Mul", [h, b.Random("scale", 8, 1, 1)], [1, 8, 4, 4]);
        h = b.Op("Sigmoid", [Conv(b, h, 8, 8)], [1, 8, 4, 4]);
        var y = Conv(b, h, 8, 2);
        b.Output(y);
        var g = Optimize(b);
        Assert.Equal(2, Transposes(g));
        Assert.Same(x, g.Nodes[0].Input(0));
        Assert.Equal([1, 2, 4, 4], g.Outputs[0].Shape!);
        Assert.Equal(y.Name, g.Outputs[0].Name);
        // The per-channel constant [8,1,1] was rearranged to broadcast over NHWC: [1,1,1,8].
        var mul = g.Nodes.Single(n => n.Is(OpCode.Binary));
        Assert.Equal([1, 1, 1, 8], mul.Input(1).Shape!);
    }

    [Fact]
    public void ResidualAddAndConcatRunInNhwcWithTheirAxisRemapped()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 4, 3, 3);
        var a = Conv(b, x, 4, 4);
        var sum = b.Op("Add", [a, Conv(b, a, 4, 4)], [1, 4, 3, 3]);
        var cat = b.Op("Concat", [sum, a], [1, 8, 3, 3], n => n.Set("axis", 1L));
        b.Output(Conv(b, cat, 8, 2));
        var g = Optimize(b);
        Assert.Equal(2, Transposes(g));
        Assert.Equal(3, g.Nodes.Single(n => n.Is(OpCode.Concat)).Int(ParamKey.Axis, -1));
    }

    [Fact]
    public void HardSwishWrittenOutWithTwoReadersOfXStillSinks()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 4, 3, 3);
        var c = Conv(b, x, 4, 4);
        var gate = b.Op("Clip", [b.Op("Add", [c, b.Const("three", 3f)], [1, 4, 3, 3]), b.Const("lo", 0f), b.Const("hi", 6f)], [1, 4, 3, 3]);
        var hs = b.Op("Div", [b.Op("Mul", [c, gate], [1, 4, 3, 3]), b.Const("six", 6f)], [1, 4, 3, 3]);
        b.Output(Conv(b, hs, 4, 4));
        Assert.Equal(2, Transposes(Optimize(b)));
    }

    [Fact]
    public void GlobalReductionWithoutKeepDimsNeedsNoOutputTranspose()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 4, 3, 3);
        var c = Conv(b, x, 4, 6);
        var r = b.Op("ReduceMean", [c], [1, 6], n => n.Set("axes", [2L, 3]).Set("keepdims", 0L));
        b.Output(r);
        var g = Optimize(b);
        Assert.Equal(1, Transposes(g));
        Assert.Equal([1, 2], g.Nodes.Single(n => n.Is(OpCode.Reduce)).Ints(ParamKey.Axes)!);
    }

    [Fact]
    public void SplitOfAGraphInputFeedingTwoConvsIsHoistedBelowOneTranspose()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 4, 3, 3);
        var halves = b.Node("Split", [x], [[1, 2, 3, 3], [1, 2, 3, 3]], n => n.Set("axis", 1L).Set("split", [2L, 2])).Outputs;
        var cat = b.Op("Concat", [Conv(b, halves[0], 2, 2), Conv(b, halves[1], 2, 2)], [1, 4, 3, 3], n => n.Set("axis", 1L));
        b.Output(Conv(b, cat, 4, 4));
        var g = Optimize(b);
        Assert.Equal(2, Transposes(g));
        Assert.Equal(3, g.Nodes.Single(n => n.Is(OpCode.Split)).Int(ParamKey.Axis, -1));
    }

    [Fact]
    public void GlobalPoolThenFlattenLeavesNoTransposeAfterThePool()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2, 4, 3, 3);
        var gap = b.Op("GlobalAveragePool", [Conv(b, x, 4, 5)], [2, 5, 1, 1]);
        b.Output(b.Op("Flatten", [gap], [2, 5]));
        var g = Optimize(b);
        Assert.Equal(1, Transposes(g));
        Assert.True(g.Nodes[^1].Is(OpCode.Reshape));
        Assert.Equal([2, 1, 1, 5], g.Nodes[^1].Input(0).Shape!);
    }

    [Fact]
    public void AGraphOutputThatIsAlsoReadInsideKeepsItsLayout()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 2, 3, 3);
        var a = b.Op("Relu", [Conv(b, x, 2, 2)], [1, 2, 3, 3]);
        b.Output(a, Conv(b, a, 2, 2));
        var g = Optimize(b);
        Assert.Equal([1, 2, 3, 3], g.Outputs[0].Shape!);
        Assert.Equal([1, 2, 3, 3], g.Outputs[1].Shape!);
        Assert.Equal(3, Transposes(g));
    }
}
