using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>The NCHW → NHWC conversion of spatial ops and the 1-D widening, checked on graph structure.</summary>
public sealed class LayoutPassTests
{
    private static Node Converted(IrBuilder b)
    {
        new LayoutPass().Run(b.Graph);
        b.Graph.Validate();
        return b.Graph.Nodes.Single(n => !n.Is(OpCode.Transpose));
    }

    [Fact]
    public void ConvIsWrappedInTransposesWithWeightsInOhwiOrder()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 2, 5, 5);
        var w = Enumerable.Range(0, 3 * 2 * 3 * 3).Select(i => (float)i).ToArray();
        var y = b.Op("Conv", [x, b.Const("w", [3, 2, 3, 3], w)], [1, 3, 5, 5], n => n.Set("pads", [1L, 1, 1, 1]));
        b.Output(y);
        var conv = Converted(b);
        Assert.True(conv.Is(OpCode.Conv2D));
        Assert.Equal([1, 5, 5, 2], conv.Input(0).Shape!);
        Assert.Equal([1, 5, 5, 3], conv.Outputs[0].Shape!);
        var t0 = b.Graph.Nodes[0];
        Assert.Equal(Permutation.ToChannelsLast, t0.Ints(ParamKey.Perm)!);
        Assert.Equal(Permutation.ToChannelsFirst, b.Graph.Nodes[2].Ints(ParamKey.Perm)!);
        Assert.Same(y, b.Graph.Nodes[2].Outputs[0]);
        var wt = conv.Input(1).Constant!;
        Assert.Equal([3, 3, 3, 2], wt.Shape);
        // W'[o,kh,kw,i] = W[o,i,kh,kw]: o=1, kh=2, kw=0, i=1 → W[1,1,2,0] = 1·18 + 1·9 + 2·3 + 0 = 33.
        Assert.Equal(33f, wt.Floats![((1 * 3 + 2) * 3 + 0) * 2 + 1]);
        Assert.Equal([3, 3], conv.Ints(ParamKey.Kernel)!);
        Assert.Equal([1, 1, 1, 1], conv.Ints(ParamKey.Pads)!);
        Assert.Equal(1, conv.Int(ParamKey.Group, 0));
    }

    [Theory]
    [InlineData("SAME_UPPER", new[] { 0, 0, 1, 1 })]
    [InlineData("SAME_LOWER", new[] { 1, 1, 0, 0 })]
    [InlineData("VALID", new[] { 0, 0, 0, 0 })]
    public void AutoPadIsResolved(string autoPad, int[] pads)
    {
        // in 6, k 3, stride 2: SAME output 3, total padding (3−1)·2 + 3 − 6 = 1; VALID output 2.
        var b = new IrBuilder();
        int outSize = autoPad == "VALID" ? 2 : 3;
        b.Output(b.Op("MaxPool", [b.Input("x", 1, 1, 6, 6)], [1, 1, outSize, outSize],
            n => n.Set("kernel_shape", [3L, 3]).Set("strides", [2L, 2]).Set("auto_pad", autoPad)));
        var pool = Converted(b);
        Assert.True(pool.Is(OpCode.MaxPool2D));
        Assert.Equal(pads, pool.Ints(ParamKey.Pads)!);
        Assert.Equal([2, 2], pool.Ints(ParamKey.Strides)!);
    }

    [Fact]
    public void ConvTransposePadsFollowOutputShape()
    {
        // in 3, stride 2, k 3, output_shape 6: total = 2·2 + 0 + 3 − 6 = 1 → NOTSET splits it end-heavy: [0 | 1].
        var b = new IrBuilder();
        b.Output(b.Op("ConvTranspose", [b.Input("x", 1, 2, 3, 3), b.Random("w", 2, 4, 3, 3)], [1, 4, 6, 6],
            n => n.Set("strides", [2L, 2]).Set("output_shape", [6L, 6])));
        var t = Converted(b);
        Assert.True(t.Is(OpCode.ConvTranspose2D));
        Assert.Equal([1, 1, 0, 0], t.Ints(ParamKey.Pads)!);
        Assert.Equal([2, 3, 3, 4], t.Input(1).Constant!.Shape);
    }

    [Fact]
    public void AveragePoolKeepsCountIncludePadAndLrnItsParameters()
    {
        var b = new IrBuilder();
        var p = b.Op("AveragePool", [b.Input("x", 1, 4, 4, 4)], [1, 4, 2, 2],
            n => n.Set("kernel_shape", [2L, 2]).Set("strides", [2L, 2]).Set("count_include_pad", 1L));
        b.Output(b.Op("LRN", [p], [1, 4, 2, 2], n => n.Set("size", 3L).Set("beta", 0.5f)));
        new LayoutPass().Run(b.Graph);
        var pool = b.Graph.Nodes.Single(n => n.Is(OpCode.AveragePool2D));
        Assert.Equal(1, pool.Int(ParamKey.CountIncludePad, 0));
        var lrn = b.Graph.Nodes.Single(n => n.Is(OpCode.Lrn));
        Assert.Equal(3, lrn.Int(ParamKey.Size, 0));
        Assert.Equal(0.5f, lrn.Float(ParamKey.Beta, 0));
        Assert.Equal(1e-4f, lrn.Float(ParamKey.Alpha, 0));
        Assert.Equal(1f, lrn.Float(ParamKey.Bias, 0));
    }

    [Fact]
    public void MaxPoolWithUsedIndicesIsUnsupported()
    {
        var b = new IrBuilder(opset: 12);
        var pool = b.Node("MaxPool", [b.Input("x", 1, 1, 4, 4)], [[1, 1, 2, 2], [1, 1, 2, 2]], n => n.Set("kernel_shape", [2L, 2]).Set("strides", [2L, 2]));
        b.Output(pool.Outputs[1]);
        var e = Assert.Throws<UnsupportedOperatorException>(() => new LayoutPass().Run(b.Graph));
        Assert.Equal("MaxPool", e.OpType);
    }

    [Fact]
    public void ChannelAffineOnNchwMovesItsAxisLast()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 3, 2, 2);
        var y = new Value("y", ElementType.Float32, [1, 3, 2, 2]);
        b.Graph.AddNode(EdgeOps.Create(OpCode.ChannelAffine, "bn", [x, b.Const("s", [3], [1, 2, 3]), b.Const("t", [3], [0, 0, 0])], [y]).SetParam(ParamKey.Axis, 1));
        b.Output(y);
        var affine = Converted(b);
        Assert.Equal(3, affine.Int(ParamKey.Axis, -1));
        Assert.Equal([1, 2, 2, 3], affine.Input(0).Shape!);
    }

    [Fact]
    public void DynamicConvWeightsAreUnsupported()
    {
        var b = new IrBuilder();
        b.Output(b.Op("Conv", [b.Input("x", 1, 1, 3, 3), b.Input("w", 1, 1, 1, 1)], [1, 1, 3, 3]));
        Assert.Throws<UnsupportedOperatorException>(() => new LayoutPass().Run(b.Graph));
    }

    [Fact]
    public void OneDimensionalConvIsWidenedWithAUnitHeight()
    {
        var b = new IrBuilder(opset: 11);
        var x = b.Input("x", 1, 2, 10);
        var y = b.Op("Conv", [x, b.Random("w", 4, 2, 3)], [1, 4, 5],
            n => n.Set("kernel_shape", [3L]).Set("strides", [2L]).Set("pads", [1L, 1]).Set("dilations", [1L]));
        b.Output(y);
        new Spatial1DTo2DPass().Run(b.Graph);
        b.Graph.Validate();
        Assert.Equal(["Reshape", "Conv", "Reshape"], b.Graph.Nodes.Select(n => n.OpType));
        var conv = b.Graph.Nodes[1];
        Assert.Equal([1, 2, 1, 10], conv.Input(0).Shape!);
        Assert.Equal([4, 2, 1, 3], conv.Input(1).Constant!.Shape);
        Assert.Equal([1L, 3], conv.GetInts("kernel_shape")!);
        Assert.Equal([1L, 2], conv.GetInts("strides")!);
        Assert.Equal([0L, 1, 0, 1], conv.GetInts("pads")!);
        Assert.Same(y, b.Graph.Nodes[2].Outputs[0]);
        new LayoutPass().Run(b.Graph);
        Assert.Contains(b.Graph.Nodes, n => n.Is(OpCode.Conv2D) && n.Ints(ParamKey.Pads)!.SequenceEqual([0, 1, 0, 1]));
    }
}
