using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>The shape of quantized graphs: which nodes run int8, Quantize/Dequantize exactly at the int8/float
/// boundaries, converted weights, biases and tables, and the quantization each value gets.</summary>
public sealed class QuantizerStructureTests
{
    private static Dictionary<string, TensorRange> Ranges(EdgeGraph g, int inputLength) =>
        MinMaxRanges.Measure(g.Graph, MinMaxRanges.RandomSamples(11, 4, inputLength, 1.5f));

    private static List<Node> Nodes(Graph graph, OpCode code) => graph.Nodes.Where(n => n.Is(code)).ToList();

    /// <summary>input → conv(relu) → maxpool → conv → [LRN: float] → conv → reshape → FC → softmax.</summary>
    private static (EdgeGraph G, Node Conv1, Value Pool, Node Conv2, Value Lrn, Node Conv3, Node Fc, Value Softmax) Chain()
    {
        var g = new EdgeGraph(seed: 2);
        var x = g.Input("x", 1, 8, 8, 3);
        var conv1 = g.Conv(x, 8, 3, ActivationKind.Relu);
        var pool = g.MaxPool(conv1.Outputs[0], 2);
        var conv2 = g.Conv(pool, 8, 3);
        var lrn = g.Lrn(conv2.Outputs[0]);
        var conv3 = g.Conv(lrn, 4, 1);
        var fc = g.FullyConnected(g.Reshape(conv3.Outputs[0], 1, 64), 5);
        var softmax = g.Softmax(fc.Outputs[0], 1);
        g.Output(softmax);
        return (g, conv1, pool, conv2, lrn, conv3, fc, softmax);
    }

    [Fact]
    public void QuantizeAndDequantizeSitExactlyAtTheBoundaries()
    {
        var (g, conv1, pool, conv2, lrn, conv3, fc, softmax) = Chain();
        var ranges = Ranges(g, 192);
        var result = Quantizer.Quantize(g.Graph, ranges);
        var graph = result.Graph;

        // The float input is quantized once, right at the start; LRN is a float island between a Dequantize and a Quantize.
        var quantizes = Nodes(graph, OpCode.Quantize);
        var dequantizes = Nodes(graph, OpCode.Dequantize);
        Assert.Equal(2, quantizes.Count);
        Assert.Single(dequantizes);
        Assert.Same(graph.Inputs[0], quantizes[0].Input(0));
        Assert.Same(quantizes[0].Outputs[0], conv1.Input(0));
        Assert.Same(conv2.Outputs[0], dequantizes[0].Input(0));
        Assert.Same(dequantizes[0].Outputs[0], lrn.Producer!.Input(0));
        Assert.Same(lrn, quantizes[1].Input(0));
        Assert.Same(quantizes[1].Outputs[0], conv3.Input(0));
        Assert.Equal(2, result.QuantizeCount);
        Assert.Equal(1, result.DequantizeCount);

        // Every edge between two nodes joins values of the type both sides expect.
        foreach (var node in graph.Nodes)
        {
            bool int8In = node.Is(OpCode.Dequantize) || !(node.Is(OpCode.Quantize) || node.Is(OpCode.Lrn));
            foreach (var v in node.Inputs.Take(1))
                Assert.True((v!.Type == ElementType.Int8) == int8In, $"{node} reads {v}");
        }
        Assert.Equal(ElementType.Int8, pool.Type);
        Assert.Equal(ElementType.Float32, softmax.Type);
        Assert.Same(softmax, graph.Outputs[0]);
        Assert.Equal(ElementType.Float32, graph.Inputs[0].Type);

        var decisions = result.Nodes.ToDictionary(d => d.Name);
        Assert.False(decisions[lrn.Producer!.Name].Int8);
        Assert.Contains("Lrn", decisions[lrn.Producer!.Name].Reason);
        Assert.True(decisions[fc.Name].Int8);
        Assert.True(decisions[softmax.Producer!.Name].Int8);
    }

    [Fact]
    public void ActivationParamsComeFromTheRanges()
    {
        var (g, conv1, pool, conv2, _, _, _, _) = Chain();
        var ranges = Ranges(g, 192);
        var conv1Range = ranges[conv1.Outputs[0].Name];
        var inputRange = ranges["x"];
        Quantizer.Quantize(g.Graph, ranges);

        Assert.Equal(QuantScheme.ForActivation(conv1Range).Scale, conv1.Outputs[0].Quant!.Scale);
        Assert.Equal(-128, conv1.Outputs[0].Quant!.ZeroPoint); // after Relu the range starts at 0
        Assert.Same(conv1.Outputs[0].Quant, pool.Quant);       // max pool preserves the scale
        var xq = conv1.Input(0).Quant!;
        Assert.Equal(QuantScheme.ForActivation(inputRange).Scale, xq.Scale);
        Assert.Equal(QuantScheme.ForActivation(inputRange).ZeroPoint, xq.ZeroPoint);
        Assert.Equal(ActivationKind.Relu, conv1.Activation());
    }

    [Fact]
    public void WeightsAreInt8PerChannelAndBiasInt32AtInputTimesWeightScale()
    {
        var (g, conv1, _, _, _, _, fc, _) = Chain();
        var floatWeights = conv1.Input(1).Constant!.AsFloats();
        var floatBias = conv1.Input(2).Constant!.AsFloats();
        Quantizer.Quantize(g.Graph, Ranges(g, 192));

        var w = conv1.Input(1);
        var b = conv1.Input(2);
        Assert.Equal(ElementType.Int8, w.Type);
        Assert.Equal(0, w.Quant!.Axis);
        Assert.Equal(8, w.Quant.Scales.Length);
        Assert.Equal(ElementType.Int32, b.Type);
        float inputScale = conv1.Input(0).Quant!.Scale;
        int inner = floatWeights.Length / 8;
        for (int c = 0; c < 8; c++)
        {
            float maxAbs = floatWeights.Skip(c * inner).Take(inner).Max(MathF.Abs);
            Assert.Equal(maxAbs / 127, w.Quant.Scales[c], 1e-9f);
            Assert.Equal(Math.Round(floatBias[c] / ((double)inputScale * w.Quant.Scales[c]), MidpointRounding.ToEven), b.Constant!.Longs![c]);
            Assert.Equal(inputScale * (double)w.Quant.Scales[c], b.Quant!.Scales[c], 1e-12);
        }
        Assert.Equal(ElementType.Int8, fc.Input(1).Type);
        Assert.Equal(5, fc.Input(1).Quant!.Scales.Length);
    }

    [Fact]
    public void PerTensorOptionGivesOneWeightScale()
    {
        var (g, conv1, _, _, _, _, fc, _) = Chain();
        Quantizer.Quantize(g.Graph, Ranges(g, 192), new QuantizerOptions { PerTensorWeights = true });
        Assert.True(conv1.Input(1).Quant!.IsPerTensor);
        Assert.True(conv1.Input(2).Quant!.IsPerTensor);
        Assert.True(fc.Input(1).Quant!.IsPerTensor);
    }

    [Fact]
    public void KeepFloatMovesTheBoundaries()
    {
        var (g, conv1, pool, conv2, _, _, _, _) = Chain();
        var ranges = Ranges(g, 192);
        var result = Quantizer.Quantize(g.Graph, ranges, new QuantizerOptions { KeepFloat = [conv1.Name] });

        Assert.Equal(ElementType.Float32, conv1.Outputs[0].Type);
        Assert.Equal(ElementType.Float32, conv1.Input(1).Type);
        // The max pool after a float conv has no int8 input to continue from; conv2 starts the region.
        Assert.Equal(ElementType.Float32, pool.Type);
        var q = conv2.Input(0).Producer!;
        Assert.True(q.Is(OpCode.Quantize));
        Assert.Same(pool, q.Input(0));
        Assert.Same(g.Graph.Inputs[0], conv1.Input(0));
        var decision = result.Nodes.Single(d => d.Name == conv1.Name);
        Assert.False(decision.Int8);
        Assert.Contains("keep-float", decision.Reason);
    }

    [Fact]
    public void UnknownKeepFloatNameIsAnError()
    {
        var (g, _, _, _, _, _, _, _) = Chain();
        var e = Assert.Throws<ArgumentException>(() => Quantizer.Quantize(g.Graph, Ranges(g, 192), new QuantizerOptions { KeepFloat = ["no-such-node"] }));
        Assert.Contains("no-such-node", e.Message);
    }

    [Fact]
    public void MissingRangeKeepsTheNodeFloat()
    {
        var (g, conv1, _, conv2, _, _, _, _) = Chain();
        var ranges = Ranges(g, 192);
        ranges.Remove(conv2.Outputs[0].Name);
        var result = Quantizer.Quantize(g.Graph, ranges);
        Assert.Equal(ElementType.Float32, conv2.Outputs[0].Type);
        var decision = result.Nodes.Single(d => d.Name == conv2.Name);
        Assert.Contains(conv2.Outputs[0].Name, decision.Reason);
        Assert.Equal(conv2.Outputs[0].Name, decision.MissingRange);
        Assert.All(result.Nodes.Where(d => d.Name != conv2.Name), d => Assert.Null(d.MissingRange));
        Assert.Equal(ElementType.Int8, conv1.Outputs[0].Type);
        Assert.True(conv2.Input(0).Producer!.Is(OpCode.Dequantize));
    }

    [Fact]
    public void GraphOutputsStayFloatUnderTheirNames()
    {
        var g = new EdgeGraph();
        var conv = g.Conv(g.Input("x", 1, 4, 4, 2), 3, 3);
        var output = conv.Outputs[0];
        string name = output.Name;
        var pool = g.GlobalAveragePool(output);
        g.Output(output, pool);
        var result = Quantizer.Quantize(g.Graph, Ranges(g, 32));

        var graph = result.Graph;
        Assert.Equal(name, graph.Outputs[0].Name);
        Assert.Equal(ElementType.Float32, graph.Outputs[0].Type);
        Assert.True(graph.Outputs[0].Producer!.Is(OpCode.Dequantize));
        Assert.Equal($"{name}_int8", output.Name);
        // The pool reads the int8 tensor, not the dequantized output.
        Assert.Same(output, pool.Producer!.Input(0));
        Assert.True(graph.Outputs[1].Producer!.Is(OpCode.Dequantize));
        var tensor = result.Tensors.Single(t => t.Name == output.Name);
        Assert.Equal(name, tensor.FloatName);
    }

    [Fact]
    public void TablesReplaceActivationsAfterInt8Ops()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 4, 4, 2);
        var conv = g.Conv(x, 3, 3, ActivationKind.HardSwish);
        g.Output(conv.Outputs[0]);
        QuantizationPreparation.Prepare(g.Graph);
        var ranges = Ranges(g, 32);
        Quantizer.Quantize(g.Graph, ranges);

        var unary = g.Graph.Nodes.Single(n => n.Is(OpCode.Unary));
        Assert.Equal(2, unary.Inputs.Count);
        var lut = unary.Input(1);
        Assert.Equal(ElementType.Int8, lut.Type);
        Assert.Equal([256], lut.Shape!);
        Assert.Same(unary.Outputs[0].Quant, lut.Quant);
        Assert.Equal(ActivationLut.Build(ActivationKind.HardSwish, null, null, unary.Input(0).Quant!, unary.Outputs[0].Quant!), lut.Constant!.Longs!);
        Assert.Same(conv.Outputs[0], unary.Input(0));
    }

    [Fact]
    public void UnpreparedFusedActivationKeepsTheOpFloat()
    {
        var g = new EdgeGraph();
        var conv = g.Conv(g.Input("x", 1, 4, 4, 2), 3, 3, ActivationKind.Sigmoid);
        g.Output(conv.Outputs[0]);
        var result = Quantizer.Quantize(g.Graph, Ranges(g, 32));
        Assert.Equal(0, result.Int8NodeCount);
        Assert.Contains("Prepare", result.Nodes[0].Reason);
        Assert.Empty(Nodes(g.Graph, OpCode.Quantize));
    }

    [Fact]
    public void OpsWithoutAnInt8InputStayFloat()
    {
        // Binary and Unary do not start int8 regions: between float ops they would only add conversions.
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 8);
        var y = g.Unary(ActivationKind.Tanh, g.Binary(BinaryKind.Add, x, EdgeGraph.Constant("c", [8], new float[8])).Outputs[0]);
        g.Output(y);
        var result = Quantizer.Quantize(g.Graph, Ranges(g, 8));
        Assert.Equal(0, result.Int8NodeCount);
        Assert.Equal(0, result.QuantizeCount);
        Assert.All(result.Nodes, d => Assert.Contains("region", d.Reason));
    }

    [Fact]
    public void BinaryConstantOperandIsQuantizedWithItsOwnRange()
    {
        var g = new EdgeGraph();
        var conv = g.Conv(g.Input("x", 1, 4, 4, 2), 3, 1);
        var c = EdgeGraph.Constant("offset", [3], [-0.5f, 0.25f, 2f]);
        var add = g.Binary(BinaryKind.Add, conv.Outputs[0], c);
        g.Output(add.Outputs[0]);
        Quantizer.Quantize(g.Graph, Ranges(g, 32));

        var operand = add.Input(1);
        Assert.Equal(ElementType.Int8, operand.Type);
        var expected = QuantScheme.ForActivation(new TensorRange(-0.5f, 2f));
        Assert.Equal(expected.Scale, operand.Quant!.Scale);
        Assert.Equal(expected.ZeroPoint, operand.Quant.ZeroPoint);
        Assert.Equal(
            new[] { -0.5, 0.25, 2.0 }.Select(v => (long)Math.Clamp(Math.Round(v / expected.Scale, MidpointRounding.ToEven) + expected.ZeroPoint, -128, 127)),
            operand.Constant!.Longs!);
        Assert.Equal(ElementType.Int8, add.Outputs[0].Type);
    }

    [Fact]
    public void ConcatMovesItsOwnProducersOntoItsScale()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 4, 4, 2);
        var a = g.Conv(x, 3, 1);
        var b = g.Conv(x, 3, 3);
        var shared = g.Conv(x, 2, 1, ActivationKind.Relu); // [0, max]: a range of its own
        var joined = g.Concat(3, a.Outputs[0], b.Outputs[0], shared.Outputs[0]);
        var other = g.GlobalAveragePool(shared.Outputs[0]);
        g.Output(joined, other);
        var ranges = Ranges(g, 32);
        var target = QuantScheme.ForActivation(ranges[joined.Name]);
        Quantizer.Quantize(g.Graph, ranges);

        Assert.Equal(target.Scale, joined.Quant!.Scale);
        Assert.Equal(target.ZeroPoint, joined.Quant.ZeroPoint);
        Assert.Same(joined.Quant, a.Outputs[0].Quant);
        Assert.Same(joined.Quant, b.Outputs[0].Quant);
        // Read by the pool too: it keeps its own range and the concat requantizes it.
        var own = QuantScheme.ForActivation(ranges[shared.Outputs[0].Name]);
        Assert.Equal(own.Scale, shared.Outputs[0].Quant!.Scale);
        Assert.NotEqual(target.ZeroPoint, own.ZeroPoint);
    }

    [Fact]
    public void ConcatOfEqualScalesIsACopy()
    {
        var g = new EdgeGraph();
        var conv = g.Conv(g.Input("x", 1, 4, 4, 2), 4, 1);
        var halves = g.Split(conv.Outputs[0], 3, 2, 2);
        var swapped = g.Concat(3, halves[1], halves[0]);
        g.Output(swapped);
        Quantizer.Quantize(g.Graph, Ranges(g, 32));
        Assert.Same(conv.Outputs[0].Quant, halves[0].Quant);
        Assert.Same(conv.Outputs[0].Quant, halves[1].Quant);
        Assert.Same(conv.Outputs[0].Quant, swapped.Quant);
    }

    [Fact]
    public void EachValueIsQuantizedAndDequantizedOnce()
    {
        var g = new EdgeGraph();
        var x = g.Input("x", 1, 4, 4, 2);
        var a = g.Conv(x, 3, 1);
        var b = g.Conv(x, 3, 3);
        var y = g.Binary(BinaryKind.Add, a.Outputs[0], b.Outputs[0]).Outputs[0];
        var l1 = g.Lrn(y);
        var l2 = g.Lrn(y);
        g.Output(l1, l2);
        var result = Quantizer.Quantize(g.Graph, Ranges(g, 32));

        var quantize = Assert.Single(Nodes(g.Graph, OpCode.Quantize));
        Assert.Same(quantize.Outputs[0], a.Input(0));
        Assert.Same(quantize.Outputs[0], b.Input(0));
        var dequantize = Assert.Single(Nodes(g.Graph, OpCode.Dequantize));
        Assert.Same(y, dequantize.Input(0));
        Assert.Same(dequantize.Outputs[0], l1.Producer!.Input(0));
        Assert.Same(dequantize.Outputs[0], l2.Producer!.Input(0));
        Assert.Equal((1, 1), (result.QuantizeCount, result.DequantizeCount));
        // Right after the value's producer: the graph input's Quantize comes first, the Dequantize follows the Add.
        Assert.Same(quantize, g.Graph.Nodes[0]);
        Assert.Equal(g.Graph.IndexOf(y.Producer!) + 1, g.Graph.IndexOf(dequantize));
    }

    [Fact]
    public void ReportedTensorsNameTheirFloatOriginals()
    {
        var (g, conv1, _, _, lrn, _, _, _) = Chain();
        var result = Quantizer.Quantize(g.Graph, Ranges(g, 192));
        var byName = result.Tensors.ToDictionary(t => t.Name);
        Assert.Equal(conv1.Outputs[0].Name, byName[conv1.Outputs[0].Name].FloatName);
        var input = byName[conv1.Input(0).Name];
        Assert.Equal("x", input.FloatName);
        Assert.Equal("Quantize", input.OpType);
        Assert.Contains(result.Tensors, t => t.FloatName == lrn.Name);
        Assert.All(result.Tensors, t => Assert.True(t.Quant.IsPerTensor));
    }
}
