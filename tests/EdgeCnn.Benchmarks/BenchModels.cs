using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Benchmarks;

/// <summary>Compiles a <see cref="LayerStack"/> the way the tools do: to float32 with the compiler, or to int8 with
/// minmax calibration on a few seeded random inputs and the quantizer. Every layer of the int8 model runs as int8
/// (the quantizer's decision for each weighted layer is checked), so the benchmark times the int8 kernels and not a float fallback.</summary>
public static class BenchModels
{
    public const int CalibrationSamples = 4;

    public static CompiledModel Float32(LayerStack stack) =>
        ModelCompiler.Compile(OnnxImporter.Load(stack.ToOnnx(), stack.Name, new ImportOptions()));

    public static CompiledModel Int8(LayerStack stack)
    {
        var graph = OnnxImporter.Load(stack.ToOnnx(), stack.Name, new ImportOptions());
        var floatModel = QuantizationPreparation.CompileFloat(graph);
        var statistics = Calibrator.Collect(floatModel, InMemoryCalibrationSamples.SingleInput(Enumerable.Range(0, CalibrationSamples).Select(i => Input(stack, seed: 100 + i))));
        var ranges = statistics.Select(CalibrationMethod.MinMax).ToDictionary(r => r.Tensor.Name, r => r.Range, StringComparer.Ordinal);
        var result = Quantizer.Quantize(graph, ranges);
        if (result.Nodes.FirstOrDefault(n => n.Role == Int8Role.Weighted && !n.Int8) is { } floatNode)
            throw new InvalidOperationException($"{stack.Name}: node '{floatNode.Name}' ({floatNode.OpType}) stayed float: {floatNode.Reason}");
        return GraphLowering.Lower(result.Graph);
    }

    /// <summary>A seeded input in [-1, 1).</summary>
    public static float[] Input(LayerStack stack, int seed)
    {
        var random = new Random(seed);
        var x = new float[stack.InputLength];
        for (int i = 0; i < x.Length; i++) x[i] = random.NextSingle() * 2 - 1;
        return x;
    }
}
