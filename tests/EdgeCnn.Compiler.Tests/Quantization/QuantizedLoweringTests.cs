using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Lowering of a quantized graph: int8/int32 constants stored as such, QuantParams on the runtime tensors.</summary>
public sealed class QuantizedLoweringTests
{
    [Fact]
    public void QuantizedConstantsAndActivationsKeepTypeBytesAndParams()
    {
        var g = new EdgeGraph(seed: 4);
        var x = g.Input("x", 1, 5, 5, 3);
        var conv = g.Conv(x, 4, 3, ActivationKind.Relu);
        var lrn = g.Lrn(conv.Outputs[0]);
        g.Output(lrn);
        var ranges = MinMaxRanges.Measure(g.Graph, MinMaxRanges.RandomSamples(1, 3, 75, 1f));
        Quantizer.Quantize(g.Graph, ranges);
        var model = GraphLowering.Lower(g.Graph);

        TensorInfo Tensor(Value v) => model.Tensors.Single(t => t.Name == v.Name);
        var w = conv.Input(1);
        var wInfo = Tensor(w);
        Assert.Equal(DataType.Int8, wInfo.Type);
        Assert.Equal(TensorKind.Constant, wInfo.Kind);
        Assert.Same(w.Quant, wInfo.Quant);
        var wBytes = model.ConstantBytes(Array.IndexOf(model.Tensors, wInfo)).ToArray();
        Assert.Equal(w.Constant!.Longs!, wBytes.Select(b => (long)(sbyte)b));

        var b = conv.Input(2);
        var bInfo = Tensor(b);
        Assert.Equal(DataType.Int32, bInfo.Type);
        var bValues = MemoryMarshal.Cast<byte, int>(model.ConstantBytes(Array.IndexOf(model.Tensors, bInfo)).Span).ToArray();
        Assert.Equal(b.Constant!.Longs!, bValues.Select(v => (long)v));
        Assert.Equal(0, bInfo.ConstantOffset % 16);

        var y = Tensor(conv.Outputs[0]);
        Assert.Equal(DataType.Int8, y.Type);
        Assert.Equal(TensorKind.Activation, y.Kind);
        Assert.Same(conv.Outputs[0].Quant, y.Quant);
        Assert.Equal(DataType.Float32, model.Tensors[model.Inputs[0]].Type);
        Assert.Equal(DataType.Float32, model.Tensors[model.Outputs[0]].Type);
        Assert.Contains(model.Ops, op => op.Code == OpCode.Quantize);
        Assert.Contains(model.Ops, op => op.Code == OpCode.Dequantize);
    }

    [Fact]
    public void Int8ConstantOutsideItsRangeIsABug()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 2);
        var bad = Value.FromConstant("bad", TensorData.FromLongs([2], [1, 300], ElementType.Int8));
        bad.Quant = QuantParams.PerTensor(1f, 0);
        var reshape = g.Reshape(x, 2);
        reshape.Producer!.Inputs.Add(bad);
        g.Output(reshape);
        var e = Assert.Throws<InvalidOperationException>(() => GraphLowering.Lower(g.Graph));
        Assert.Contains("'bad' holds 300", e.Message);
    }
}
