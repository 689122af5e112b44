using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Opset conventions resolved by the canonicalization pass, checked against values written out from the ONNX spec.</summary>
public sealed class CanonicalizePassTests
{
    private static Node Canonical(IrBuilder b)
    {
        new CanonicalizePass().Run(b.Graph);
        b.Graph.Validate();
        return b.Graph.Nodes.Single(n => n.Domain == Node.EdgeDomain && !n.Is(OpCode.Reshape));
    }

    [Fact]
    public void ClipBoundsComeFromAttributesBeforeOpset11AndFromInputsAfter()
    {
        var old = new IrBuilder(opset: 10);
        old.Output(old.Op("Clip", [old.Input("x", 4)], [4], n => n.Set("min", -1f).Set("max", 2f)));
        var a = Canonical(old);
        var modern = new IrBuilder(opset: 13);
        modern.Output(modern.Op("Clip", [modern.Input("x", 4), modern.Const("lo", -1f), modern.Const("hi", 2f)], [4]));
        var b = Canonical(modern);
        foreach (var n in new[] { a, b })
        {
            Assert.True(n.Is(OpCode.Unary));
            Assert.Equal(ActivationKind.Clip, n.Activation());
            Assert.Equal(-1f, n.Float(ParamKey.Alpha, 0));
            Assert.Equal(2f, n.Float(ParamKey.Beta, 0));
            Assert.Single(n.Inputs);
        }
    }

    [Fact]
    public void ClipWithoutBoundsIsUnbounded()
    {
        var b = new IrBuilder(opset: 13);
        b.Output(b.Op("Clip", [b.Input("x", 4)], [4]));
        var n = Canonical(b);
        Assert.Equal(float.NegativeInfinity, n.Float(ParamKey.Alpha, 0));
        Assert.Equal(float.PositiveInfinity, n.Float(ParamKey.Beta, 0));
    }

    [Fact]
    public void SoftmaxBeforeOpset13FlattensToTwoDimensions()
    {
        var b = new IrBuilder(opset: 11);
        var x = b.Input("x", 2, 3, 4);
        var y = b.Op("Softmax", [x], [2, 3, 4]);
        b.Output(y);
        new CanonicalizePass().Run(b.Graph);
        var ops = b.Graph.Nodes.Select(n => n.OpType).ToArray();
        Assert.Equal(["Reshape", "Softmax", "Reshape"], ops);
        Assert.Equal([2, 12], b.Graph.Nodes[0].Outputs[0].Shape!);
        Assert.Equal(1, b.Graph.Nodes[1].Int(ParamKey.Axis, -1));
        Assert.Same(y, b.Graph.Nodes[2].Outputs[0]);
        b.Graph.Validate();
    }

    [Fact]
    public void SoftmaxFromOpset13UsesOneAxisAndLastAxisNeedsNoReshape()
    {
        var b = new IrBuilder(opset: 13);
        b.Output(b.Op("LogSoftmax", [b.Input("x", 2, 3, 4)], [2, 3, 4], n => n.Set("axis", -2L)));
        var n = Canonical(b);
        Assert.Single(b.Graph.Nodes);
        Assert.Equal(1, n.Int(ParamKey.Axis, -1));
        Assert.Equal(1, n.Int(ParamKey.Log, 0));
        var old = new IrBuilder(opset: 11);
        old.Output(old.Op("Softmax", [old.Input("x", 2, 3)], [2, 3]));
        new CanonicalizePass().Run(old.Graph);
        Assert.Single(old.Graph.Nodes);
    }

    [Fact]
    public void SliceFromAttributesAndInputsIsNormalizedToFullRank()
    {
        var old = new IrBuilder(opset: 9);
        old.Output(old.Op("Slice", [old.Input("x", 5, 6)], [3, 6], n => n.Set("starts", [-3L]).Set("ends", [100L]).Set("axes", [0L])));
        var a = Canonical(old);
        Assert.Equal([2, 0], a.Ints(ParamKey.Starts)!);
        Assert.Equal([5, 6], a.Ints(ParamKey.Ends)!);
        Assert.Equal([1, 1], a.Ints(ParamKey.Steps)!);

        var modern = new IrBuilder(opset: 13);
        var x = modern.Input("x", 5, 6);
        // axis 1 from the end backwards with step -2: indices 5, 3, 1.
        modern.Output(modern.Op("Slice", [x, modern.Longs("s", 100), modern.Longs("e", -100), modern.Longs("a", -1), modern.Longs("st", -2)], [5, 3]));
        var b = Canonical(modern);
        Assert.Equal([0, 5], b.Ints(ParamKey.Starts)!);
        Assert.Equal([5, -1], b.Ints(ParamKey.Ends)!);
        Assert.Equal([1, -2], b.Ints(ParamKey.Steps)!);
        Assert.Single(b.Inputs);
    }

    [Fact]
    public void SplitSizesComeFromTheAttributeOrTheInput()
    {
        var old = new IrBuilder(opset: 11);
        old.Node("Split", [old.Input("x", 2, 7)], [[2, 3], [2, 4]], n => n.Set("axis", -1L).Set("split", [3L, 4]));
        var a = Canonical(old);
        var modern = new IrBuilder(opset: 13);
        modern.Node("Split", [modern.Input("x", 2, 7), modern.Longs("s", 3, 4)], [[2, 3], [2, 4]], n => n.Set("axis", 1L));
        var b = Canonical(modern);
        foreach (var n in new[] { a, b })
        {
            Assert.Equal(1, n.Int(ParamKey.Axis, -1));
            Assert.Equal([3, 4], n.Ints(ParamKey.Sizes)!);
            Assert.Single(n.Inputs);
        }
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(18, true)]
    public void ReduceAxesComeFromTheAttributeOrTheInputByOpset(int opset, bool axesAsInput)
    {
        var b = new IrBuilder(opset);
        var x = b.Input("x", 2, 3, 4);
        var node = axesAsInput
            ? b.Node("ReduceMean", [x, b.Longs("axes", -1, 0)], [[3]], n => n.Set("keepdims", 0L))
            : b.Node("ReduceMean", [x], [[3]], n => n.Set("axes", [-1L, 0]).Set("keepdims", 0L));
        var n = Canonical(b);
        Assert.Same(node, n);
        Assert.Equal((int)ReduceKind.Mean, n.Int(ParamKey.Kind, 0));
        Assert.Equal([0, 2], n.Ints(ParamKey.Axes)!);
        Assert.Equal(0, n.Int(ParamKey.KeepDims, 1));
    }

    [Fact]
    public void ResizeOpset10AndUpsampleUseAsymmetricFloor()
    {
        foreach (var (opset, op) in new[] { (10, "Resize"), (9, "Upsample") })
        {
            var b = new IrBuilder(opset);
            b.Output(b.Op(op, [b.Input("x", 1, 1, 2, 2), b.Const("s", [4], [1f, 1f, 2f, 3f])], [1, 1, 4, 6]));
            var n = Canonical(b);
            Assert.True(n.Is(OpCode.Resize));
            Assert.Equal((int)ResizeCoordinateMode.Asymmetric, n.Int(ParamKey.CoordinateMode, -1));
            Assert.Equal((int)ResizeNearestMode.Floor, n.Int(ParamKey.NearestMode, -1));
            Assert.Equal([1f, 1f, 2f, 3f], n.Floats(ParamKey.Scales)!);
        }
    }

    [Fact]
    public void ResizeWithSizesGetsScalesFromTheSizes()
    {
        var b = new IrBuilder(opset: 13);
        var x = b.Input("x", 1, 2, 4, 5);
        b.Output(b.Op("Resize", [x, null, null, b.Longs("sizes", 1, 2, 8, 3)], [1, 2, 8, 3],
            n => n.Set("mode", "linear").Set("coordinate_transformation_mode", "align_corners")));
        var n = Canonical(b);
        Assert.Equal([1f, 1f, 2f, 0.6f], n.Floats(ParamKey.Scales)!);
        Assert.Equal((int)ResizeMode.Linear, n.Int(ParamKey.Mode, -1));
        Assert.Equal((int)ResizeCoordinateMode.AlignCorners, n.Int(ParamKey.CoordinateMode, -1));
    }

    [Fact]
    public void GatherIndicesAreNormalized()
    {
        var b = new IrBuilder(opset: 13);
        b.Output(b.Op("Gather", [b.Input("x", 4, 3), b.Longs("i", -1, 0)], [2, 3]));
        var n = Canonical(b);
        Assert.Equal([3, 0], n.Ints(ParamKey.Indices)!);
        Assert.Equal([2], n.Ints(ParamKey.IndicesShape)!);
        Assert.Equal(0, n.Int(ParamKey.Axis, -1));
    }

    [Fact]
    public void PadBeforeOpset11ReadsAttributes()
    {
        var b = new IrBuilder(opset: 10);
        b.Output(b.Op("Pad", [b.Input("x", 2, 3)], [3, 6], n => n.Set("pads", [1L, 2, 0, 1]).Set("value", 1.5f).Set("mode", "edge")));
        var n = Canonical(b);
        Assert.Equal([1, 2, 0, 1], n.Ints(ParamKey.Pads)!);
        Assert.Equal(1.5f, n.Float(ParamKey.Value, 0));
        Assert.Equal((int)PadMode.Edge, n.Int(ParamKey.Mode, -1));
    }

    [Fact]
    public void ShapeOpsBecomeReshapeAndExpandBecomesAnAddOfZeros()
    {
        var b = new IrBuilder(opset: 13);
        var x = b.Input("x", 3, 1);
        var f = b.Op("Flatten", [x], [3, 1]);
        var s = b.Op("Squeeze", [f, b.Longs("ax", 1)], [3]);
        var e = b.Op("Expand", [s, b.Longs("shape", 2, 3)], [2, 3]);
        b.Output(e);
        new CanonicalizePass().Run(b.Graph);
        Assert.Equal(["Reshape", "Reshape", "Binary"], b.Graph.Nodes.Select(n => n.OpType));
        var zeros = b.Graph.Nodes[2].Input(1).Constant!;
        Assert.Equal([2, 1], zeros.Shape);
        Assert.All(zeros.AsFloats(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void AnOpWithoutRuntimeEquivalentNamesOpNodeAndOpset()
    {
        var b = new IrBuilder(opset: 17);
        b.Output(b.Op("Hardmax", [b.Input("x", 2, 3)], [2, 3]));
        var e = Assert.Throws<UnsupportedOperatorException>(() => new CanonicalizePass().Run(b.Graph));
        Assert.Equal("Hardmax", e.OpType);
        Assert.Equal(b.Graph.Nodes[0].Name, e.NodeName);
        Assert.Equal(17, e.Opset);
        Assert.Contains("Hardmax", e.Message);
    }

    [Fact]
    public void IntegerCastAtRunTimeIsUnsupported()
    {
        var b = new IrBuilder(opset: 13);
        b.Output(b.Op("Cast", [b.Input("x", 2)], [2], n => n.Set("to", (long)ElementType.Int32)));
        Assert.Throws<UnsupportedOperatorException>(() => new CanonicalizePass().Run(b.Graph));
    }
}
