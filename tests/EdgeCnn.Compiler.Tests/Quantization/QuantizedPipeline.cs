using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>A float model and its int8 twin, built the way the quantize command builds them: prepare, lower the
/// float graph, calibrate it (min/max), quantize, lower again.</summary>
internal sealed record QuantizedPipeline(CompiledModel Float, CompiledModel Int8, QuantizationResult Result)
{
    public static QuantizedPipeline Build(Graph graph, IEnumerable<float[]> calibration, QuantizerOptions? options = null)
    {
        QuantizationPreparation.Prepare(graph);
        var floatModel = GraphLowering.Lower(graph);
        var ranges = MinMaxRanges.Measure(floatModel, calibration);
        var result = Quantizer.Quantize(graph, ranges, options);
        return new QuantizedPipeline(floatModel, GraphLowering.Lower(result.Graph), result);
    }

    /// <summary>An ONNX model (bytes) through the importer and the optimizing pass pipeline.</summary>
    public static Graph Import(byte[] onnx)
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgecnn-quant-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, onnx);
        try
        {
            var graph = ModelCompiler.Import(path);
            PassPipeline.Run(graph, optimize: true);
            return graph;
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static float[] RunFirstOutput(Session session, float[] input)
    {
        var model = session.Model;
        var outputs = model.Outputs.Select(t => (Memory<float>)new float[model.Tensors[t].ElementCount]).ToList();
        session.Run([input], outputs);
        return outputs[0].ToArray();
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na == 0 && nb == 0 ? 1 : dot / Math.Sqrt(na * nb);
    }
}
