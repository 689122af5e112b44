namespace EdgeCnn.Compiler.Calibration;

/// <summary>What calibration observed of one float32 tensor (a graph input or an activation) over all samples.</summary>
public sealed class TensorStatistics
{
    internal TensorStatistics(string name, int tensorIndex, int[] shape)
    {
        Name = name;
        TensorIndex = tensorIndex;
        Shape = shape;
    }

    /// <summary>The compiled model's tensor name, which is the IR value name.</summary>
    public string Name { get; }

    public int TensorIndex { get; }

    public int[] Shape { get; }

    /// <summary>The smallest value seen; +∞ until the first value arrives.</summary>
    public float Min { get; private set; } = float.PositiveInfinity;

    /// <summary>The largest value seen; −∞ until the first value arrives.</summary>
    public float Max { get; private set; } = float.NegativeInfinity;

    /// <summary>How many values were seen (elements × samples).</summary>
    public long Count { get; private set; }

    /// <summary>Filled by the second pass; null when only min/max were collected.</summary>
    public ActivationHistogram? Histogram { get; internal set; }

    internal void Observe(float min, float max, long count)
    {
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
        Count += count;
    }
}
