using EdgeCnn.Cli.Evaluation;
using EdgeCnn.Runtime.Kernels;

namespace EdgeCnn.Cli.Benchmarking;

/// <summary>One engine's measurement: EdgeCnn on one kernel path, or ONNX Runtime on one file.</summary>
/// <param name="Outputs">The last run's outputs, in the model's output order, to check the engines computed the same thing.</param>
internal sealed record BenchRow(
    string Engine,
    string Precision,
    KernelPath? KernelPath,
    string File,
    TimedResult Timing,
    long? PlannedArenaBytes,
    long? ArenaBytes,
    float[][] Outputs)
{
    public const string EdgeCnnEngine = "edgecnn";
    public const string OrtEngine = "onnxruntime";

    /// <summary>Per-op times from separate observed runs (<c>--profile</c>), for EdgeCnn rows.</summary>
    public OpProfile? Profile { get; init; }

    public LatencySummary Latency => Timing.Latency;

    public string Label => KernelPath is { } path ? $"{Engine} {Precision} {path}" : $"{Engine} {Precision}";

    /// <summary>Billions of multiply-accumulates per second at the median latency.</summary>
    public double GmacPerSecond(long macs) => Latency.MedianMs > 0 ? macs / (Latency.MedianMs * 1e6) : 0;

    /// <summary>The largest absolute difference between this row's outputs and <paramref name="other"/>'s.</summary>
    public double MaxAbsDiff(BenchRow other)
    {
        double max = 0;
        for (int o = 0; o < Outputs.Length && o < other.Outputs.Length; o++)
        {
            var a = Outputs[o];
            var b = other.Outputs[o];
            for (int i = 0; i < a.Length && i < b.Length; i++)
            {
                double d = Math.Abs((double)a[i] - b[i]);
                // A NaN on one side is a disagreement of unknown size; report it rather than hide it.
                if (double.IsNaN(d)) return double.NaN;
                if (d > max) max = d;
            }
        }
        return max;
    }
}
