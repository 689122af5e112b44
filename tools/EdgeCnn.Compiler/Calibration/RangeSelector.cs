namespace EdgeCnn.Compiler.Calibration;

/// <summary>Turns a tensor's statistics into its range with one <see cref="CalibrationMethod"/>.</summary>
/// <remarks>Every range contains 0: the int8 grid then has an integer zero point, so zero padding, Relu's
/// zeros and pruned weights quantize exactly. A tensor that only ever held zeros gets [0, 0]; the quantizer
/// decides how to represent it.</remarks>
public static class RangeSelector
{
    public static TensorRange Select(TensorStatistics statistics, CalibrationMethod method)
    {
        if (statistics.Count == 0) throw new InvalidOperationException($"tensor '{statistics.Name}' was never observed");
        if (method.Kind == CalibrationMethodKind.MinMax) return IncludingZero(statistics.Min, statistics.Max);
        var histogram = statistics.Histogram
            ?? throw new InvalidOperationException($"{method} needs histograms; tensor '{statistics.Name}' was calibrated without them");
        return Select(histogram, method);
    }

    public static TensorRange Select(ActivationHistogram histogram, CalibrationMethod method) => method.Kind switch
    {
        CalibrationMethodKind.MinMax => IncludingZero(histogram.Min, histogram.Max),
        CalibrationMethodKind.Percentile => PercentileClipping.Range(histogram, method.Percentile),
        CalibrationMethodKind.Entropy => EntropyClipping.Range(histogram),
        _ => MseClipping.Range(histogram),
    };

    public static TensorRange IncludingZero(double min, double max) =>
        new((float)Math.Min(min, 0), (float)Math.Max(max, 0));
}
