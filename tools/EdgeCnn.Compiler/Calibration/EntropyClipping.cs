namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// Entropy calibration (the KL-divergence threshold search TensorRT and ncnn use). Over a histogram of |x|,
/// every candidate threshold T = i·w (i kept bins, from the level count up to all bins) is scored:
/// <list type="number">
/// <item>P, the clipped reference: the first i bins, with every count beyond them (the outliers clipping
/// saturates) added to bin i − 1;</item>
/// <item>Q, its quantized version: the first i bins without the outliers, split into L consecutive groups (group j
/// covers bins ⌊j·i/L⌋ .. ⌊(j+1)·i/L⌋ − 1), each group's total spread evenly over the group's bins that are
/// non-empty in P (bins empty in P stay empty);</item>
/// <item>the score KL(P || Q) = Σ p·ln(p / q) over the non-empty bins of P, with P and Q each normalized to sum 1.</item>
/// </list>
/// Leaving the outliers out of Q is what makes clipping cost something: the mass P piles up at the threshold is
/// missing from Q. Where P has mass in a group Q has none of (outliers piled into an otherwise empty group), Q gets
/// <see cref="Smoothing"/> of one count in each such bin, as MXNet's calibrator smooths, so the score stays finite and
/// grows with the mass moved. The lowest score wins; equal scores go to the larger threshold (clipping only where it pays).
/// <para>Exact zeros are left out: zero is a grid point of every candidate, so they are represented exactly
/// whatever the threshold, and as one tall spike in bin 0 (half of a Relu output) they would swamp the score of
/// the first group and drag the threshold down.</para>
/// <para>A tensor with values of both signs is scored on |x| with L = 128 (the magnitude half of an int8
/// grid) and gets [max(min, −T), min(max, T)]. A one-signed tensor (after Relu, most often) has all 256
/// levels on its side, so L = 256 and the range is [0, T] (or [−T, 0]).</para>
/// </summary>
public static class EntropyClipping
{
    public const int SignedLevels = 128;
    public const int OneSidedLevels = 256;

    /// <summary>The count Q is given in a bin where P has mass and Q none.</summary>
    public const double Smoothing = 1e-4;

    public static TensorRange Range(ActivationHistogram histogram)
    {
        bool hasNegative = histogram.Negative.Length > 0;
        bool hasPositive = histogram.Positive.Length > 0;
        if (!hasNegative && !hasPositive) return new TensorRange(0, 0);
        long[] magnitudes;
        int levels;
        if (hasNegative && hasPositive)
        {
            magnitudes = histogram.FoldMagnitudes();
            levels = SignedLevels;
        }
        else
        {
            magnitudes = hasPositive ? histogram.Positive : histogram.Negative;
            levels = OneSidedLevels;
        }
        double threshold = BestBinCount(magnitudes, levels) * histogram.BinWidth;
        return RangeSelector.IncludingZero(Math.Max(histogram.Min, -threshold), Math.Min(histogram.Max, threshold));
    }

    /// <summary>The number of kept bins i with the smallest <see cref="Divergence"/> (the larger i on ties).
    /// A histogram with at most <paramref name="levels"/> bins is kept whole: every bin has its own level.</summary>
    public static int BestBinCount(ReadOnlySpan<long> histogram, int levels)
    {
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), levels, "at least one level");
        if (histogram.Length <= levels) return histogram.Length;
        var beyond = new long[histogram.Length + 1];
        for (int k = histogram.Length - 1; k >= 0; k--) beyond[k] = beyond[k + 1] + histogram[k];
        int best = histogram.Length;
        double bestScore = double.PositiveInfinity;
        for (int kept = levels; kept <= histogram.Length; kept++)
        {
            double score = Divergence(histogram, kept, levels, beyond[kept]);
            if (score <= bestScore)
            {
                bestScore = score;
                best = kept;
            }
        }
        return best;
    }

    /// <summary>KL(P || Q) for keeping the first <paramref name="kept"/> bins (see the class remarks).</summary>
    public static double Divergence(ReadOnlySpan<long> histogram, int kept, int levels)
    {
        if (kept < 1 || kept > histogram.Length) throw new ArgumentOutOfRangeException(nameof(kept), kept, $"between 1 and {histogram.Length}");
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), levels, "at least one level");
        long outliers = 0;
        for (int k = kept; k < histogram.Length; k++) outliers += histogram[k];
        return Divergence(histogram, kept, levels, outliers);
    }

    private static double Divergence(ReadOnlySpan<long> histogram, int kept, int levels, long outliers)
    {
        long quantizedTotal = 0;
        for (int k = 0; k < kept; k++) quantizedTotal += histogram[k];
        long referenceTotal = quantizedTotal + outliers;
        if (referenceTotal == 0) return 0;
        double sum = 0;
        for (int j = 0; j < levels; j++)
        {
            int start = (int)((long)j * kept / levels);
            int end = (int)((long)(j + 1) * kept / levels);
            long groupTotal = 0;
            int nonEmpty = 0;
            for (int k = start; k < end; k++)
            {
                groupTotal += histogram[k];
                if (Reference(histogram, k, kept, outliers) > 0) nonEmpty++;
            }
            if (nonEmpty == 0) continue;
            double q = (groupTotal > 0 ? (double)groupTotal / nonEmpty : Smoothing) / Math.Max(quantizedTotal, 1);
            for (int k = start; k < end; k++)
            {
                long count = Reference(histogram, k, kept, outliers);
                if (count == 0) continue;
                double p = (double)count / referenceTotal;
                sum += p * Math.Log(p / q);
            }
        }
        return sum;
    }

    private static long Reference(ReadOnlySpan<long> histogram, int k, int kept, long outliers) =>
        k == kept - 1 ? histogram[k] + outliers : histogram[k];
}
