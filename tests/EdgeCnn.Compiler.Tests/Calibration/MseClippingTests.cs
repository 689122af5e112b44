using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class MseClippingTests
{
    /// <summary>The documented error model, bin by bin: in-range non-zero values cost s²/12, values beyond a bound
    /// cost their squared distance to it averaged over their (uniformly filled) bin, zeros cost nothing.</summary>
    private static double ModelError(ActivationHistogram h, double lower, double upper)
    {
        double step = (upper - lower) / 255;
        double error = 0;
        error += SideError(h.Positive, h.BinWidth, h.Max, upper, step);
        error += SideError(h.Negative, h.BinWidth, -(double)h.Min, -lower, step);
        return error;
    }

    private static double SideError(long[] bins, double w, double extent, double bound, double step)
    {
        double error = 0;
        for (int m = 0; m < bins.Length; m++)
        {
            double low = m * w, high = m == bins.Length - 1 ? extent : (m + 1) * w;
            if (high <= bound + 1e-12) { error += bins[m] * step * step / 12; continue; }
            // Mean of (x − bound)² for x uniform on [low, high].
            double mean = (Math.Pow(high - bound, 3) - Math.Pow(low - bound, 3)) / (3 * (high - low));
            error += bins[m] * mean;
        }
        return error;
    }

    private static List<(double Lower, double Upper)> Candidates(ActivationHistogram h)
    {
        var uppers = Enumerable.Range(0, h.Positive.Length + 1).Select(k => Math.Min(k * h.BinWidth, h.Max)).ToList();
        if (h.Positive.Length > 0) uppers[^1] = h.Max;
        var lowers = Enumerable.Range(0, h.Negative.Length + 1).Select(j => -Math.Min(j * h.BinWidth, -(double)h.Min)).ToList();
        if (h.Negative.Length > 0) lowers[^1] = h.Min;
        return (from u in uppers from l in lowers where u > 0 || l < 0 select (l, u)).ToList();
    }

    private static void AssertIsBruteForceArgmin(ActivationHistogram h)
    {
        var range = MseClipping.Range(h);
        var candidates = Candidates(h);
        double best = candidates.Min(c => ModelError(h, c.Lower, c.Upper));
        // The range is returned as floats; evaluate the candidate it rounds from.
        var match = candidates.Single(c => (float)c.Lower == range.Min && (float)c.Upper == range.Max);
        double chosen = ModelError(h, match.Lower, match.Upper);
        Assert.True(chosen <= best * (1 + 1e-9) + 1e-12, $"chosen [{range.Min}, {range.Max}] costs {chosen}, the best candidate {best}");
    }

    [Fact]
    public void Result_is_the_brute_force_argmin_over_bin_edge_candidates()
    {
        AssertIsBruteForceArgmin(Distributions.Histogram(Distributions.GaussianWithOutliers(50_000, 6, 20f, seed: 21), bins: 128));
        AssertIsBruteForceArgmin(Distributions.Histogram(Distributions.Relu(Distributions.Gaussian(50_000, seed: 22)), bins: 256));
        AssertIsBruteForceArgmin(Distributions.Histogram(Distributions.Uniform(50_000, -0.4f, 6f, seed: 23), bins: 200));
        var skewed = Distributions.Gaussian(50_000, seed: 24).Select(v => v < 0 ? v * 0.1f : v * 3).ToArray();
        AssertIsBruteForceArgmin(Distributions.Histogram(skewed, bins: 150));
    }

    [Fact]
    public void Uniform_values_keep_about_the_full_range()
    {
        // For uniform data on [0, M] the model's optimum is M / (1 + 1/510).
        var range = MseClipping.Range(Distributions.Histogram(Distributions.Uniform(1_000_000, 0f, 4f, seed: 25)));
        Assert.Equal(0f, range.Min);
        Assert.InRange(range.Max, 3.98f, 4f);
    }

    [Fact]
    public void Gaussian_outliers_are_clipped_where_the_error_balance_says()
    {
        // k outliers at ±M among N values, range [−T, T] (the bulk's own clipping is negligible out there):
        // error(T) = N·(2T/255)²/12 + k·(M − T)², minimal at T = k·M / (c + k) with c = N / (3·255²).
        const int n = 1_000_000, k = 10;
        const float m = 60f;
        var range = MseClipping.Range(Distributions.Histogram(Distributions.GaussianWithOutliers(n, k, m, seed: 26)));
        double c = n / (3.0 * 255 * 255);
        double expected = k * m / (c + k);
        Assert.InRange(range.Max, expected * 0.99, expected * 1.01);
        Assert.InRange(-range.Min, expected * 0.99, expected * 1.01);
        Assert.True(range.Max < m * 0.7f);
    }

    /// <summary>Real int8 asymmetric quantization (scale, integer zero point, rounding, saturation) of raw values.</summary>
    private static double QuantizationError(float[] values, double lower, double upper)
    {
        double scale = (upper - lower) / 255;
        double zero = Math.Clamp(Math.Round(-lower / scale) - 128, -128, 127);
        double sum = 0;
        foreach (var x in values)
        {
            double q = Math.Clamp(Math.Round(x / scale) + zero, -128, 127);
            double d = x - (q - zero) * scale;
            sum += d * d;
        }
        return sum;
    }

    [Fact]
    public void Chosen_range_is_near_the_best_real_quantization_error()
    {
        var values = Distributions.GaussianWithOutliers(100_000, 10, 40f, seed: 27);
        var range = MseClipping.Range(Distributions.Histogram(values));
        double best = double.PositiveInfinity;
        for (double t = 1; t <= 40; t += 0.02) best = Math.Min(best, QuantizationError(values, -t, t));
        double chosen = QuantizationError(values, range.Min, range.Max);
        Assert.True(chosen <= best * 1.05, $"range [{range.Min}, {range.Max}] error {chosen}, best symmetric {best}");
        Assert.True(chosen < QuantizationError(values, values.Min(), values.Max()), "clipping the outliers must pay off");
    }
}
