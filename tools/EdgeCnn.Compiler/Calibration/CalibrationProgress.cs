namespace EdgeCnn.Compiler.Calibration;

public enum CalibrationPass
{
    /// <summary>First pass: each tensor's minimum and maximum.</summary>
    Range,
    /// <summary>Second pass: histograms laid out over the ranges of the first.</summary>
    Histogram,
}

/// <summary>Reported after every sample: <paramref name="Completed"/> of <paramref name="Total"/> samples of a pass are done.</summary>
public readonly record struct CalibrationProgress(CalibrationPass Pass, int Completed, int Total);

public sealed class CalibrationOptions
{
    /// <summary>Bins on the wider side of each histogram (see <see cref="ActivationHistogram"/>).</summary>
    public int HistogramBins { get; init; } = ActivationHistogram.DefaultBins;

    /// <summary>Run the second pass. Only <see cref="CalibrationMethodKind.MinMax"/> can do without it.</summary>
    public bool CollectHistograms { get; init; } = true;

    /// <summary>Called on the calibrating thread after every sample.</summary>
    public Action<CalibrationProgress>? Progress { get; init; }
}
