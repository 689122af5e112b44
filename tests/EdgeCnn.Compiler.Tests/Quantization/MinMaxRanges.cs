using System.Runtime.InteropServices;
using EdgeCnn.Compiler.Calibration;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Lowering;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>The plainest calibration, written for the tests: run the float model on the samples and keep
/// every float tensor's smallest and largest value, by tensor name.</summary>
internal static class MinMaxRanges
{
    public static Dictionary<string, TensorRange> Measure(Graph graph, IEnumerable<float[]> samples) =>
        Measure(GraphLowering.Lower(graph), samples);

    public static Dictionary<string, TensorRange> Measure(CompiledModel model, IEnumerable<float[]> samples)
    {
        var observer = new Observer();
        var session = new Session(model) { Observer = observer };
        var outputs = model.Outputs.Select(t => (Memory<float>)new float[model.Tensors[t].ElementCount]).ToList();
        foreach (var sample in samples) session.Run([sample], outputs);
        return observer.Ranges;
    }

    /// <summary>Uniform random samples in [−range, range].</summary>
    public static List<float[]> RandomSamples(int seed, int count, int length, float range)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2 - 1) * range)).ToArray())
            .ToList();
    }

    private sealed class Observer : ITensorObserver
    {
        public Dictionary<string, TensorRange> Ranges { get; } = new(StringComparer.Ordinal);

        public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
        {
            if (info.Type != DataType.Float32) return;
            var values = MemoryMarshal.Cast<byte, float>(data);
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (var v in values)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            if (Ranges.TryGetValue(info.Name, out var old)) (min, max) = (Math.Min(min, old.Min), Math.Max(max, old.Max));
            Ranges[info.Name] = new TensorRange(min, max);
        }
    }
}
