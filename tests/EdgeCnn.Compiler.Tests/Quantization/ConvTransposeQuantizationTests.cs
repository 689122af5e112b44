using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>ConvTranspose2D runs int8 like Conv2D (weights per output channel, reordered output-channel-major), and its
/// QDQ export gives ONNX Runtime the same integer model.</summary>
public sealed class ConvTransposeQuantizationTests
{
    /// <summary>conv → 2×2 stride-2 transposed conv (Relu) → 1×1 conv, as the PP-OCRv4 detector's head upsamples.</summary>
    private static Graph UpsamplingNet(int group = 1)
    {
        var g = new EdgeGraph(seed: 17);
        var x = g.Input("x", 1, 5, 4, 4);
        var h = g.Conv(x, 6, 3, ActivationKind.Relu).Outputs[0];
        int cout = 4;
        var w = g.Weights("wt", [6, 2, 2, cout / group], 0.4);
        var b = g.Weights("bt", [cout], 0.2);
        var y = new Value("deconv_out", ElementType.Float32, [1, 10, 8, cout]);
        var deconv = EdgeOps.Create(OpCode.ConvTranspose2D, "deconv", [h, w, b], [y])
            .SetParam(ParamKey.Kernel, 2, 2).SetParam(ParamKey.Strides, 2, 2).SetParam(ParamKey.Dilations, 1, 1)
            .SetParam(ParamKey.Pads, 0, 0, 0, 0).SetParam(ParamKey.Group, group).SetParam(ParamKey.Activation, (int)ActivationKind.Relu);
        g.Graph.AddNode(deconv);
        g.Output(g.Conv(y, 2, 1).Outputs[0]);
        return g.Graph;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Transposed_convolution_runs_int8_and_follows_float(int group)
    {
        var p = QuantizedPipeline.Build(UpsamplingNet(group), MinMaxRanges.RandomSamples(4, 12, 80, 1f));
        var decision = p.Result.Nodes.Single(n => n.Name == "deconv");
        Assert.True(decision.Int8, decision.Reason);
        Assert.Equal(Int8Role.Weighted, decision.Role);
        Assert.Equal(0, p.Result.FloatNodeCount);
        var op = p.Int8.Ops.Single(o => o.Code == OpCode.ConvTranspose2D);
        var weights = p.Int8.Tensors[op.Inputs[1]];
        Assert.Equal(DataType.Int8, weights.Type);
        Assert.Equal([4, 2, 2, 6 / group], weights.Shape); // output-channel-major
        Assert.Equal(0, weights.Quant!.Axis);

        foreach (var sample in MinMaxRanges.RandomSamples(5, 4, 80, 1f))
        {
            var expected = QuantizedPipeline.RunFirstOutput(new Session(p.Float), sample);
            var actual = QuantizedPipeline.RunFirstOutput(new Session(p.Int8), sample);
            double cosine = QuantizedPipeline.Cosine(expected, actual);
            Assert.True(cosine > 0.999, $"group {group}: cosine {cosine:F5}");
        }
    }

    [Fact]
    [Trait("Requires", "OnnxRuntime")]
    public void Qdq_export_lets_onnx_runtime_reproduce_the_int8_codes()
    {
        var agreement = QdqAgreement.Measure(UpsamplingNet(), MinMaxRanges.RandomSamples(4, 12, 80, 1f), MinMaxRanges.RandomSamples(6, 8, 80, 1f));
        Assert.True(agreement.WithinOneFraction >= 0.99, agreement.ToString());
        Assert.Contains("ConvTranspose", string.Join(",", agreement.OrtOps.Keys));
    }
}
