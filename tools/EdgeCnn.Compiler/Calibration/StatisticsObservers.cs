using System.Runtime.InteropServices;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Calibration;

/// <summary>First pass: folds each tracked tensor's values into its minimum and maximum, and stops at the
/// first NaN or infinity (it would make every range meaningless).</summary>
internal sealed class RangeObserver(TensorStatistics?[] byTensor) : ITensorObserver
{
    public string Sample { get; set; } = "";

    public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
    {
        var statistics = byTensor[tensorIndex];
        if (statistics is null) return;
        var values = MemoryMarshal.Cast<byte, float>(data);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float x in values)
        {
            if (!float.IsFinite(x))
                throw new CalibrationException($"{Sample}: tensor '{info.Name}' holds {x}; calibration needs finite values");
            if (x < min) min = x;
            if (x > max) max = x;
        }
        statistics.Observe(min, max, values.Length);
    }
}

/// <summary>Second pass: counts each tracked tensor's values into its histogram.</summary>
internal sealed class HistogramObserver(TensorStatistics?[] byTensor) : ITensorObserver
{
    public string Sample { get; set; } = "";

    public void OnTensor(int tensorIndex, TensorInfo info, ReadOnlySpan<byte> data)
    {
        var histogram = byTensor[tensorIndex]?.Histogram;
        if (histogram is null) return;
        try
        {
            histogram.Add(MemoryMarshal.Cast<byte, float>(data));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CalibrationException(
                $"{Sample}: tensor '{info.Name}' changed between the two calibration passes ({ex.Message}); the samples must load the same data every time", ex);
        }
    }
}
