using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Report;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary><see cref="QuantizerOptions.Int8Input"/>: the input's Quantize moves out of the graph (through the NCHW→NHWC
/// transpose) into the caller, and the int8 model computes exactly what it computed with the Quantize inside.</summary>
public sealed class InputQuantizationFusionTests
{
    private const int InputLength = 3 * 8 * 8;

    /// <summary>x [1,3,8,8] (NCHW) → transpose to NHWC → conv 3x3 (Relu) → global pool → FC; optionally the NHWC
    /// input also feeds a float-only LRN that is a second output.</summary>
    private static QuantizedPipeline Network(bool int8Input, bool floatReader = false)
    {
        var g = new EdgeGraph(seed: 7);
        var x = g.Input("x", 1, 3, 8, 8);
        var nhwc = new Value("x_nhwc", ElementType.Float32, [1, 8, 8, 3]);
        g.Graph.AddNode(GraphRewrite.Transpose(g.Graph, x, [0, 2, 3, 1], nhwc, "to_nhwc"));
        var conv = g.Conv(nhwc, 6, 3, ActivationKind.Relu);
        var fc = g.FullyConnected(g.Reshape(g.GlobalAveragePool(conv.Outputs[0]), 1, 6), 5);
        g.Output(fc.Outputs[0]);
        if (floatReader) g.Output(g.Lrn(nhwc));
        return QuantizedPipeline.Build(g.Graph, MinMaxRanges.RandomSamples(3, 12, InputLength, 2f), new QuantizerOptions { Int8Input = int8Input });
    }

    [Fact]
    public void The_input_becomes_int8_with_the_params_of_the_quantize_it_replaces()
    {
        var plain = Network(int8Input: false);
        var fused = Network(int8Input: true);
        var expectedQuant = plain.Result.Graph.Nodes.Single(n => n.Is(OpCode.Quantize)).Outputs[0].Quant!;

        var input = fused.Result.Graph.Inputs[0];
        Assert.Equal("x", input.Name);
        Assert.Equal([1, 3, 8, 8], input.Shape);
        Assert.Equal(ElementType.Int8, input.Type);
        Assert.Equal((expectedQuant.Scale, expectedQuant.ZeroPoint), (input.Quant!.Scale, input.Quant.ZeroPoint));
        Assert.DoesNotContain(fused.Result.Graph.Nodes, n => n.Is(OpCode.Quantize));
        var transpose = fused.Result.Graph.Nodes.Single(n => n.Is(OpCode.Transpose));
        Assert.Equal(ElementType.Int8, transpose.Outputs[0].Type);
        Assert.Same(input.Quant, transpose.Outputs[0].Quant);
        Assert.Equal(["x"], fused.Result.Int8Inputs);
        Assert.Equal(plain.Result.QuantizeCount - 1, fused.Result.QuantizeCount);
        Assert.True(fused.Result.Nodes.Single(d => d.Name == transpose.Name).Int8);

        var tensor = fused.Int8.InputInfo(0);
        Assert.Equal((DataType.Int8, TensorKind.Input, "x"), (tensor.Type, tensor.Kind, tensor.Name));
        Assert.Equal([1, 3, 8, 8], tensor.Shape);
        Assert.Equal(expectedQuant.Scale, tensor.Quant!.Scale);
    }

    [Fact]
    public void The_fused_model_gives_the_same_outputs_for_floats_and_for_codes_written_in_place()
    {
        var plain = new Session(Network(int8Input: false).Int8);
        var fused = new Session(Network(int8Input: true).Int8);
        var quant = fused.Model.InputInfo(0).Quant!;
        foreach (var sample in MinMaxRanges.RandomSamples(41, 5, InputLength, 3f))
        {
            var expected = QuantizedPipeline.RunFirstOutput(plain, sample);
            Assert.Equal(expected, QuantizedPipeline.RunFirstOutput(fused, sample));

            Qs8QuantizeReference.Run(sample, quant.Scale, quant.ZeroPoint, fused.InputInt8(0));
            fused.Run();
            Assert.Equal(expected, fused.OutputFloat(0).ToArray());
        }
    }

    [Fact]
    public void An_input_that_a_float_op_also_reads_stays_float()
    {
        var p = Network(int8Input: true, floatReader: true);

        Assert.Empty(p.Result.Int8Inputs);
        Assert.Equal(ElementType.Float32, p.Result.Graph.Inputs[0].Type);
        Assert.Single(p.Result.Graph.Nodes, n => n.Is(OpCode.Quantize));
        Assert.Equal(DataType.Float32, p.Int8.InputInfo(0).Type);
    }

    /// <summary>x [1,1,6,6] in 0..1 → (x − 0.3) / 0.25 in the graph → reshape to NHWC → conv → global pool → FC.</summary>
    private static QuantizedPipeline NormalizingNetwork(bool int8Input)
    {
        var g = new EdgeGraph(seed: 5);
        var x = g.Input("x", 1, 1, 6, 6);
        var centered = g.Binary(BinaryKind.Sub, x, EdgeGraph.Constant("mean", [1], [0.3f])).Outputs[0];
        var normalized = g.Binary(BinaryKind.Div, centered, EdgeGraph.Constant("std", [1], [0.25f])).Outputs[0];
        var conv = g.Conv(g.Reshape(normalized, 1, 6, 6, 1), 4, 3, ActivationKind.Relu);
        var fc = g.FullyConnected(g.Reshape(g.GlobalAveragePool(conv.Outputs[0]), 1, 4), 3);
        g.Output(fc.Outputs[0]);
        var samples = MinMaxRanges.RandomSamples(6, 10, 36, 1f).Select(s => s.Select(Math.Abs).ToArray());
        return QuantizedPipeline.Build(g.Graph, samples, new QuantizerOptions { Int8Input = int8Input });
    }

    [Fact]
    public void In_graph_normalization_runs_int8_so_the_input_quantize_can_go()
    {
        var plain = NormalizingNetwork(int8Input: false);
        var fused = NormalizingNetwork(int8Input: true);

        // Without the option the normalization stays float and the Quantize sits after it.
        Assert.Equal(2, plain.Result.Nodes.Count(n => n.OpType == "Binary" && !n.Int8));
        Assert.Single(plain.Result.Graph.Nodes, n => n.Is(OpCode.Quantize));
        // With it, Sub and the Div (now a Mul by 1/0.25) run int8 on the raw input's codes.
        Assert.Equal(["x"], fused.Result.Int8Inputs);
        Assert.DoesNotContain(fused.Result.Graph.Nodes, n => n.Is(OpCode.Quantize));
        var binaries = fused.Result.Graph.Nodes.Where(n => n.Is(OpCode.Binary)).ToList();
        Assert.Equal([BinaryKind.Sub, BinaryKind.Mul], binaries.Select(n => (BinaryKind)n.Int(ParamKey.Kind, 0)));
        Assert.All(binaries, n => Assert.Equal(ElementType.Int8, n.Outputs[0].Type));
        Assert.Equal(4f, binaries[1].Input(1).Quant!.Scale * (binaries[1].Input(1).Constant!.AsLongs()[0] - binaries[1].Input(1).Quant!.ZeroPoint), 2);

        // Requantizing twice more costs little: the outputs stay close to the float model's.
        var floatSession = new Session(fused.Float);
        var int8Session = new Session(fused.Int8);
        foreach (var sample in MinMaxRanges.RandomSamples(17, 6, 36, 1f).Select(s => s.Select(Math.Abs).ToArray()))
        {
            var expected = QuantizedPipeline.RunFirstOutput(floatSession, sample);
            var actual = QuantizedPipeline.RunFirstOutput(int8Session, sample);
            Assert.True(QuantizedPipeline.Cosine(expected, actual) > 0.99, $"cosine {QuantizedPipeline.Cosine(expected, actual):F4}");
        }
    }

    [Fact]
    public void The_report_measures_the_int8_input_in_place_of_the_removed_quantize()
    {
        var p = Network(int8Input: true);
        var samples = MinMaxRanges.RandomSamples(3, 4, InputLength, 2f); // calibration samples: no saturation

        var report = QuantizationEvaluator.Evaluate(p.Float, p.Int8, p.Result, samples.Select(s => (IReadOnlyList<float[]>)[s]), "fused");

        Assert.DoesNotContain(report.Layers, l => l.Op == "Quantize");
        var input = report.Layers.Single(l => l.Tensor == "x");
        Assert.Equal("Input", input.Op);
        // Only rounding error: half a step inside the range, a step at most at its edges (the zero point is rounded).
        Assert.True(input.SqnrDb > 30, $"input SQNR {input.SqnrDb:F1} dB");
        Assert.True(input.MaxAbsError <= p.Int8.InputInfo(0).Quant!.Scale * 1.0001, $"input max error {input.MaxAbsError}");
    }
}
