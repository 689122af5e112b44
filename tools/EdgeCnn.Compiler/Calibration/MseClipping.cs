namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// MSE-optimal clipping for the int8 asymmetric grid: the range [a, b] (a ≤ 0 ≤ b) with the smallest expected
/// squared quantization error over the histogram. The error of a range, with step s = (b − a) / 255:
/// <list type="bullet">
/// <item>every non-zero value inside [a, b] is rounded to the grid: s² / 12 each (rounding noise, uniform over a step);</item>
/// <item>every value beyond b is saturated to b: (x − b)², averaged over its bin with the bin's mass spread evenly
/// (for a bin [l, h]: (center − b)² + (h − l)² / 12); likewise below a;</item>
/// <item>exact zeros cost nothing: zero is a grid point because the range contains it.</item>
/// </list>
/// Candidates are the bin edges of each side, a = −min(j·w, −min) and b = min(k·w, max), searched exhaustively
/// over both sides (j = k = 0 only when nothing else exists); the last edge of a side is the observed extreme.
/// On equal errors the wider range wins (k, then j, scanned from the widest).
/// </summary>
public static class MseClipping
{
    /// <summary>An int8 grid has 256 levels, so 255 steps between its ends.</summary>
    public const int GridSteps = 255;

    public static TensorRange Range(ActivationHistogram histogram)
    {
        var positive = Side.Of(histogram.Positive, histogram.BinWidth, histogram.Max);
        var negative = Side.Of(histogram.Negative, histogram.BinWidth, -(double)histogram.Min);
        if (positive.Count == 0 && negative.Count == 0) return new TensorRange(0, 0);
        int bestUpper = positive.Count, bestLower = negative.Count;
        double bestError = double.PositiveInfinity;
        for (int k = positive.Count; k >= 0; k--)
        {
            for (int j = negative.Count; j >= 0; j--)
            {
                if (j == 0 && k == 0) continue;
                double error = Error(positive, k, negative, j);
                if (error < bestError)
                {
                    bestError = error;
                    bestUpper = k;
                    bestLower = j;
                }
            }
        }
        // 0 - edge rather than -edge: an unclipped empty side must read 0, not -0, in the table.
        return new TensorRange((float)(0 - negative.Edges[bestLower]), (float)positive.Edges[bestUpper]);
    }

    private static double Error(Side positive, int k, Side negative, int j)
    {
        double step = (positive.Edges[k] + negative.Edges[j]) / GridSteps;
        return (positive.Inside[k] + negative.Inside[j]) * step * step / 12 + positive.Clipped[k] + negative.Clipped[j];
    }

    /// <summary>One side of the histogram as magnitudes: for each candidate edge k (0..Count), the edge, how many
    /// values lie below it and the squared error of saturating those above it.</summary>
    private sealed record Side(int Count, double[] Edges, long[] Inside, double[] Clipped)
    {
        public static Side Of(long[] bins, double width, double extent)
        {
            int n = bins.Length;
            var edges = new double[n + 1];
            for (int k = 0; k < n; k++) edges[k] = Math.Min(k * width, extent);
            if (n > 0) edges[n] = extent;
            var inside = new long[n + 1];
            for (int k = 1; k <= n; k++) inside[k] = inside[k - 1] + bins[k - 1];
            var clipped = new double[n + 1];
            for (int k = 0; k < n; k++)
            {
                double sum = 0;
                for (int m = k; m < n; m++)
                {
                    if (bins[m] == 0) continue;
                    double low = edges[m];
                    double high = m == n - 1 ? extent : edges[m + 1];
                    double center = (low + high) / 2 - edges[k];
                    sum += bins[m] * (center * center + (high - low) * (high - low) / 12);
                }
                clipped[k] = sum;
            }
            return new Side(n, edges, inside, clipped);
        }
    }
}
