using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Onnx.Proto;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Qdq;
using EdgeCnn.Compiler.Tests.OnnxRuntime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>The export carries the quantized model's integers unchanged: every convolution reads the IR's int8
/// weights (moved from [Cout,KH,KW,Cin] to ONNX's [Cout,Cin,KH,KW]) through a DequantizeLinear on axis 0 with the
/// IR's channel scales, its int32 bias with scales s_in·s_w[c], and is followed by a QuantizeLinear with the IR
/// output's scale and zero point.</summary>
public sealed class QdqExportStructureTests
{
    [Fact]
    public void ConvolutionsCarryTheQuantizedIntegersAndScales()
    {
        var net = SyntheticNetworks.Build("MobileNetV2InvertedResidual");
        var graph = QdqAgreement.Import(net.Onnx);
        QuantizationPreparation.Prepare(graph);
        var ranges = MinMaxRanges.Measure(GraphLowering.Lower(graph), MinMaxRanges.RandomSamples(61, 8, net.Sample.Length, 1f));
        var quantized = Quantizer.Quantize(graph, ranges).Graph;
        var model = ModelProto.Parser.ParseFrom(QdqExporter.Export(quantized));

        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, t => TensorProtoConverter.FromProto(t, t.Name));
        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var readers = model.Graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var irConvs = quantized.Nodes.Where(n => n.OpType == nameof(OpCode.Conv2D)).ToList();
        var onnxConvs = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal(3, irConvs.Count);
        Assert.Equal(irConvs.Count, onnxConvs.Count);

        for (int k = 0; k < irConvs.Count; k++)
        {
            var ir = irConvs[k];
            var conv = onnxConvs[k];
            Assert.StartsWith(ir.Name + "__", conv.Name, StringComparison.Ordinal);

            var weights = ir.Input(1);
            var (wValues, wScales, wAxis) = Dequantized(conv.Input[1], producers, initializers);
            Assert.Equal(ElementType.Int8, wValues.Type);
            Assert.Equal(0, wAxis);
            Assert.Equal(weights.Quant!.Scales, wScales);
            var s = weights.RequireShape(); // [Cout, KH, KW, Cin]
            Assert.Equal(new[] { s[0], s[3], s[1], s[2] }, wValues.Shape);
            var irW = weights.Constant!.AsLongs();
            var onnxW = wValues.AsLongs();
            for (int o = 0; o < s[0]; o++)
                for (int h = 0; h < s[1]; h++)
                    for (int w = 0; w < s[2]; w++)
                        for (int i = 0; i < s[3]; i++)
                            Assert.Equal(irW[((o * s[1] + h) * s[2] + w) * s[3] + i], onnxW[((o * s[3] + i) * s[1] + h) * s[2] + w]);

            var (bValues, bScales, bAxis) = Dequantized(conv.Input[2], producers, initializers);
            Assert.Equal(ElementType.Int32, bValues.Type);
            Assert.Equal(0, bAxis);
            Assert.Equal(ir.Input(2).Constant!.AsLongs(), bValues.AsLongs());
            float inputScale = ir.Input(0).Quant!.Scale;
            for (int c = 0; c < bScales.Length; c++) Assert.Equal((float)((double)inputScale * weights.Quant.Scales[c]), bScales[c]);

            // The conv's result passes through its activation (if any) to a QuantizeLinear with the IR output's params.
            var next = readers[conv.Output[0]].Single();
            while (next.OpType != "QuantizeLinear") next = readers[next.Output[0]].Single();
            var outputQuant = ir.Outputs[0].Quant!;
            Assert.Equal(outputQuant.Scale, initializers[next.Input[1]].AsFloats().Single());
            Assert.Equal(outputQuant.ZeroPoint, initializers[next.Input[2]].AsLongs().Single());
            Assert.Equal(ElementType.Int8, initializers[next.Input[2]].Type);
        }
    }

    private static (TensorData Values, float[] Scales, int Axis) Dequantized(string name, Dictionary<string, NodeProto> producers, Dictionary<string, TensorData> initializers)
    {
        var dq = producers[name];
        Assert.Equal("DequantizeLinear", dq.OpType);
        int axis = dq.Attribute.FirstOrDefault(a => a.Name == "axis") is { } a ? (int)a.I : 1;
        return (initializers[dq.Input[0]], initializers[dq.Input[1]].AsFloats(), axis);
    }
}
