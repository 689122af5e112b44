namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// Two-sided percentile clipping: the range runs from the (100 − P)th to the Pth percentile of the observed
/// values, so each tail loses at most (100 − P)% of them. Percentiles come from the histogram, interpolated
/// linearly inside a bin (error below one bin width, max(|min|, max) / 2048, far under an int8 step).
/// </summary>
public static class PercentileClipping
{
    public static TensorRange Range(ActivationHistogram histogram, double percentile)
    {
        if (!(percentile >= 50 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile must lie in [50, 100]");
        double keep = percentile / 100;
        double lower = histogram.ValueAtFraction(1 - keep);
        double upper = histogram.ValueAtFraction(keep);
        return RangeSelector.IncludingZero(lower, upper);
    }
}
