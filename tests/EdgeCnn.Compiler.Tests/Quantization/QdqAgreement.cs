using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Compiler.Onnx.Proto;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Compiler.Quantization;
using EdgeCnn.Compiler.Quantization.Qdq;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;
using Microsoft.ML.OnnxRuntime;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>How closely ONNX Runtime's run of the QDQ export reproduces EdgeCnn's int8 output codes.</summary>
internal sealed record QdqAgreement(long Elements, long Exact, long WithinOneStep, int LargestDifference, int Samples, int SameTop1, IReadOnlyDictionary<string, int> OrtOps)
{
    public double ExactFraction => (double)Exact / Elements;
    public double WithinOneFraction => (double)WithinOneStep / Elements;
    public double Top1Fraction => (double)SameTop1 / Samples;

    public override string ToString() =>
        $"{Elements} output codes: {ExactFraction:P3} identical, {WithinOneFraction:P3} within one step, largest difference {LargestDifference}; same top-1 code on {SameTop1}/{Samples} samples; " +
        $"ORT ran {string.Join(", ", OrtOps.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}×{p.Value}"))}";

    /// <summary>
    /// Quantizes <paramref name="graph"/> (optimized, not yet prepared) on <paramref name="calibration"/>, exports it,
    /// and runs EdgeCnn's int8 session and ONNX Runtime (all graph optimizations, so its QDQ fusion) on
    /// <paramref name="samples"/>. Each graph output must be the Dequantize of an int8 tensor: both sides' floats are
    /// turned back into codes with that tensor's scale and zero point.
    /// </summary>
    public static QdqAgreement Measure(Graph graph, IReadOnlyList<float[]> calibration, IReadOnlyList<float[]> samples)
    {
        QuantizationPreparation.Prepare(graph);
        var floatModel = GraphLowering.Lower(graph);
        var ranges = MinMaxRanges.Measure(floatModel, calibration);
        var result = Quantizer.Quantize(graph, ranges);
        var int8Model = GraphLowering.Lower(result.Graph);
        var outputQuant = result.Graph.Outputs.Select(OutputQuant).ToList();
        byte[] qdq = QdqExporter.Export(result.Graph);

        var optimized = Path.Combine(Path.GetTempPath(), $"edgecnn-qdq-{Guid.NewGuid():N}.onnx");
        using var options = new OrtSessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            OptimizedModelFilePath = optimized,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        using var ort = new InferenceSession(qdq, options);
        var ortOps = CountOps(optimized);
        File.Delete(optimized);

        var session = new Session(int8Model);
        var input = result.Graph.Inputs[0];
        long elements = 0, exact = 0, withinOne = 0;
        int largest = 0, sameTop1 = 0;
        foreach (var sample in samples)
        {
            var ours = result.Graph.Outputs.Select(o => new float[o.RequireShape().Aggregate(1, (a, d) => a * d)]).ToList();
            session.Run([sample], ours.Select(o => (Memory<float>)o).ToList());
            using var value = OrtValue.CreateTensorValueFromMemory(sample, Array.ConvertAll(input.RequireShape(), d => (long)d));
            using var runOptions = new RunOptions();
            using var theirs = ort.Run(runOptions, [input.Name], [value], ort.OutputNames);
            if (ArgMax(ours[0]) == ArgMax(theirs[0].GetTensorDataAsSpan<float>())) sameTop1++;
            for (int o = 0; o < ours.Count; o++)
            {
                var reference = theirs[o].GetTensorDataAsSpan<float>();
                var quant = outputQuant[o];
                for (int i = 0; i < ours[o].Length; i++)
                {
                    int difference = Math.Abs(Code(ours[o][i], quant) - Code(reference[i], quant));
                    elements++;
                    if (difference == 0) exact++;
                    if (difference <= 1) withinOne++;
                    largest = Math.Max(largest, difference);
                }
            }
        }
        return new QdqAgreement(elements, exact, withinOne, largest, samples.Count, sameTop1, ortOps);
    }

    /// <summary>An ONNX model (bytes) through the importer and the optimizing pass pipeline.</summary>
    public static Graph Import(byte[] onnx)
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgecnn-qdq-source-{Guid.NewGuid():N}.onnx");
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

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private static QuantParams OutputQuant(Value output) =>
        output.Producer is { } p && p.OpType == nameof(OpCode.Dequantize) && p.Input(0).Quant is { } q ? q
            : throw new InvalidOperationException($"graph output '{output.Name}' is not the Dequantize of an int8 tensor");

    /// <summary>The int8 code a dequantized value s·(q − zp) came from.</summary>
    private static int Code(float value, QuantParams quant) => (int)Math.Round(value / (double)quant.Scale) + quant.ZeroPoint;

    private static Dictionary<string, int> CountOps(string path)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
