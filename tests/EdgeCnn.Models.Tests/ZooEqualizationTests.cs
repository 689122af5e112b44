using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Models.Tests.Support;
using EdgeCnn.Models.Zoo;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Models.Tests;

/// <summary>Cross-layer equalization on zoo models with folded (non-trivial) batch norms: the optimized float
/// model computes the same outputs after it, and it finds exactly the pairs the architecture has.</summary>
public sealed class ZooEqualizationTests
{
    private static Graph Optimized(ZooModel model)
    {
        var graph = OnnxImporter.Load(model.Onnx, $"{model.Name}.onnx", new Compiler.ImportOptions());
        PassPipeline.Run(graph, optimize: true);
        return graph;
    }

    private static float[] RandomInput(int[] shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, d) => a * d)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }

    /// <summary>Equalizes the model's optimized graph and checks the outputs stay within 1e-5 of the output's
    /// largest magnitude on two random inputs.</summary>
    private static EqualizationSummary EqualizeAndCompare(string name, out Graph graph)
    {
        var entry = ModelZoo.Find(name)!;
        var model = entry.Build(SmallConfigs.For(entry));
        graph = Optimized(model);
        var before = GraphLowering.Lower(graph);
        var summary = new CrossLayerEqualizationPass().Equalize(graph);
        var after = GraphLowering.Lower(graph);
        for (int seed = 1; seed <= 2; seed++)
        {
            var input = RandomInput(model.InputShape, seed);
            var reference = ZooCompiler.Run(before, input);
            var actual = ZooCompiler.Run(after, input);
            double scale = reference.Max(v => Math.Abs((double)v));
            Assert.True(reference.Distinct().Count() > reference.Length / 2, $"{name}: the reference output is nearly constant");
            double worst = reference.Zip(actual, (r, a) => Math.Abs((double)r - a)).Max();
            Assert.True(worst <= 1e-5 * scale, $"{name}: max |Δ| {worst:g3} exceeds 1e-5 · {scale:g3}");
        }
        return summary;
    }

    [Fact]
    public void MobileNetV1_every_separable_pair_is_equalized_and_outputs_stay()
    {
        var summary = EqualizeAndCompare("mobilenet-v1", out _);
        // conv0 → block1.dw, then per block dw → pw (13) and pw → next dw (12): one chain of 27 convolutions.
        Assert.Equal(26, summary.Pairs.Count);
        Assert.True(summary.Converged, $"not converged after {summary.Sweeps} sweeps");
    }

    [Fact]
    public void MobileNetV2_relu6_pairs_are_left_alone_and_outputs_stay()
    {
        var summary = EqualizeAndCompare("mobilenet-v2", out var graph);
        var byName = graph.Nodes.ToDictionary(n => n.Name);
        foreach (var (first, _) in summary.Pairs)
        {
            var node = byName[first];
            Assert.True(node.Activation() == ActivationKind.None, $"{first}: equalized through {node.Activation()}");
        }
        // Only projections that feed the next block's expansion directly (no residual) qualify.
        Assert.NotEmpty(summary.Pairs);
    }

    [Fact]
    public void EqualizedFloatModel_equalizes_after_the_pipeline_and_keeps_the_outputs()
    {
        var entry = ModelZoo.Find("mobilenet-v1")!;
        var model = entry.Build(SmallConfigs.For(entry));
        var plain = QuantizationPreparation.CompileFloat(OnnxImporter.Load(model.Onnx, "m.onnx", new Compiler.ImportOptions()));
        var equalized = EqualizedFloatModel.Compile(OnnxImporter.Load(model.Onnx, "m.onnx", new Compiler.ImportOptions()), out var summary);
        Assert.Equal(26, summary.Pairs.Count);
        var input = RandomInput(model.InputShape, 3);
        var reference = ZooCompiler.Run(plain, input);
        var actual = ZooCompiler.Run(equalized, input);
        double scale = reference.Max(v => Math.Abs((double)v));
        double worst = reference.Zip(actual, (r, a) => Math.Abs((double)r - a)).Max();
        Assert.True(worst <= 1e-5 * scale, $"max |Δ| {worst:g3} exceeds 1e-5 · {scale:g3}");
    }
}
