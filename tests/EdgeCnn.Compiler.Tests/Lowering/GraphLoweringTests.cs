using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Tests.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Lowering;

/// <summary>Lowering of edge-form graphs into runtime models: tensor table, weight blob, params, graph boundaries.</summary>
public sealed class GraphLoweringTests
{
    private static CompiledModel Compile(IrBuilder b) => ModelCompiler.Compile(b.Graph, new CompileOptions { Optimize = false });

    [Fact]
    public void ConstantsAreFloat32InAnAlignedBlobAndParamsKeepTheirTypes()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 3);
        var y = b.Op("Add", [x, Value.FromConstant("ints", TensorData.FromLongs([3], [1, 2, 3]))], [3]);
        var z = b.Op("Mul", [y, b.Const("odd", [1], [0.5f])], [3]);
        b.Output(b.Op("Clip", [z, b.Const("lo", 0f), b.Const("hi", 2f)], [3]));
        var m = Compile(b);
        var constants = Enumerable.Range(0, m.Tensors.Length).Where(i => m.Tensors[i].Kind == TensorKind.Constant).ToList();
        Assert.Equal(2, constants.Count);
        Assert.All(constants, i => Assert.Equal(0, m.Tensors[i].ConstantOffset % 16));
        Assert.All(m.Tensors, t => Assert.Equal(DataType.Float32, t.Type));
        Assert.Equal([1f, 2f, 3f], m.ConstantFloats(constants[0]).ToArray());
        var clip = m.Ops.Single(o => o.Code == OpCode.Unary);
        Assert.Equal(ActivationKind.Clip, clip.Params.Activation);
        Assert.Equal(2f, clip.Params.GetFloat(ParamKey.Beta));
        Assert.Equal((int)BinaryKind.Add, m.Ops[0].Params.GetInt(ParamKey.Kind));
        var outputs = PipelineHarness.Run(m, [1f, -4f, 2f]);
        Assert.Equal([1f, 0f, 2f], outputs[0]);
    }

    [Fact]
    public void AGraphInputThatIsAlsoAnOutputIsCopied()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2);
        b.Output(x, b.Op("Neg", [x], [2]));
        var m = Compile(b);
        Assert.Equal(OpCode.Reshape, m.Ops[^1].Code);
        Assert.NotEqual(m.Inputs[0], m.Outputs[0]);
        var outputs = PipelineHarness.Run(m, [3f, -1f]);
        Assert.Equal([3f, -1f], outputs[0]);
        Assert.Equal([-3f, 1f], outputs[1]);
    }

    [Fact]
    public void AConstantGraphOutputIsServedFromTheWeights()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2);
        b.Output(b.Op("Relu", [x], [2]), b.Const("k", [2], [7f, 8f]));
        var m = Compile(b);
        Assert.Equal(TensorKind.Constant, m.OutputInfo(1).Kind);
        Assert.Equal([7f, 8f], PipelineHarness.Run(m, [1f, 1f])[1]);
    }

    [Fact]
    public void AnOnnxNodeThatNoPassConvertedIsUnsupported()
    {
        var b = new IrBuilder(opset: 12);
        b.Output(b.Op("Relu", [b.Input("x", 2)], [2]));
        var e = Assert.Throws<UnsupportedOperatorException>(() => GraphLowering.Lower(b.Graph));
        Assert.Equal("Relu", e.OpType);
        Assert.Equal(12, e.Opset);
    }

    [Fact]
    public void IntegerTensorsComputedAtRunTimeAreUnsupported()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2);
        var n = EdgeOps.Create(OpCode.Reshape, "to_int", [x], [new Value("i", ElementType.Int64, [2])]);
        b.Graph.AddNode(n);
        b.Output(n.Outputs[0]);
        var e = Assert.Throws<UnsupportedOperatorException>(() => GraphLowering.Lower(b.Graph));
        Assert.Contains("int64", e.Message);
    }

    [Fact]
    public void ConvolutionParamsAreWrittenAsTheRuntimeReadsThem()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 1, 2, 5, 5);
        var c = b.Op("Conv", [x, b.Random("w", 4, 1, 3, 3), b.Random("bias", 4)], [1, 4, 3, 3],
            n => n.Set("group", 2L).Set("strides", [2L, 2]).Set("pads", [1L, 1, 1, 1]));
        b.Output(c);
        var m = Compile(b);
        var conv = m.Ops.Single(o => o.Code == OpCode.Conv2D);
        Assert.Equal([3, 3], conv.Params.GetInts(ParamKey.Kernel));
        Assert.Equal([2, 2], conv.Params.GetInts(ParamKey.Strides));
        Assert.Equal([1, 1, 1, 1], conv.Params.GetInts(ParamKey.Pads));
        Assert.Equal(2, conv.Params.GetInt(ParamKey.Group));
        Assert.Equal([4, 3, 3, 1], m.Tensors[conv.Inputs[1]].Shape);
        Assert.Equal([1, 5, 5, 2], m.Tensors[conv.Inputs[0]].Shape);
        Assert.Equal([1, 4, 3, 3], m.OutputInfo(0).Shape);
    }

    [Fact]
    public void ChannelAffineOnTheLastAxisDropsTheAxisParam()
    {
        var b = new IrBuilder();
        var x = b.Input("x", 2, 3);
        b.Output(b.Op("BatchNormalization", [x, b.Const("g", [3], [1, 1, 1]), b.Const("b", [3], [0, 1, 2]), b.Const("m", [3], [0, 0, 0]), b.Const("v", [3], [1, 1, 1])], [2, 3],
            n => n.Set("epsilon", 0f)));
        var m = Compile(b);
        var affine = m.Ops.Single(o => o.Code == OpCode.ChannelAffine);
        Assert.False(affine.Params.Has(ParamKey.Axis));
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], PipelineHarness.Run(m, [1, 1, 1, 1, 1, 1])[0]);
    }
}
