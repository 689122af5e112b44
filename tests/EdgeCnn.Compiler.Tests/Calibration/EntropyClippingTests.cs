using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class EntropyClippingTests
{
    /// <summary>KL(P || Q) written out with explicit arrays, from the algorithm's description.</summary>
    private static double NaiveDivergence(long[] h, int kept, int levels)
    {
        var p = new double[kept];
        for (int k = 0; k < kept; k++) p[k] = h[k];
        for (int k = kept; k < h.Length; k++) p[kept - 1] += h[k];
        var q = new double[kept];
        var group = new int[kept];
        for (int j = 0; j < levels; j++)
            for (int k = j * kept / levels; k < (j + 1) * kept / levels; k++) group[k] = j;
        for (int j = 0; j < levels; j++)
        {
            var members = Enumerable.Range(0, kept).Where(k => group[k] == j).ToList();
            double total = members.Sum(k => (double)h[k]);
            int nonEmpty = members.Count(k => p[k] > 0);
            foreach (var k in members) q[k] = p[k] > 0 ? total / nonEmpty : 0;
        }
        double pSum = p.Sum(), qSum = Math.Max(q.Sum(), 1);
        double kl = 0;
        for (int k = 0; k < kept; k++)
        {
            if (p[k] == 0) continue;
            double qk = q[k] > 0 ? q[k] : 1e-4; // the documented smoothing: a ten-thousandth of a count
            kl += p[k] / pSum * Math.Log(p[k] / pSum / (qk / qSum));
        }
        return kl;
    }

    [Fact]
    public void Divergence_of_a_hand_computed_case()
    {
        // Groups {0,1} and {2,3}: Q = [2,2,2,2]/8, P = [1,3,2,2]/8.
        double expected = 1.0 / 8 * Math.Log(0.5) + 3.0 / 8 * Math.Log(1.5);
        Assert.Equal(expected, EntropyClipping.Divergence([1, 3, 2, 2], kept: 4, levels: 2), 12);
        // Flat groups quantize without loss.
        Assert.Equal(0, EntropyClipping.Divergence([5, 5, 0, 7], kept: 4, levels: 2), 12);
    }

    [Fact]
    public void Clipping_costs_the_mass_moved_to_the_threshold()
    {
        // Keeping 2 of [4,4,4,4] with 2 levels: P = [4,12]/16, Q = [4,4]/8.
        double expected = 0.25 * Math.Log(0.25 / 0.5) + 0.75 * Math.Log(0.75 / 0.5);
        Assert.Equal(expected, EntropyClipping.Divergence([4, 4, 4, 4], kept: 2, levels: 2), 12);
        // All of P's last group is outliers: Q has nothing there and gets 1e-4 of a count.
        double smoothed = 4.0 / 13 * Math.Log(4.0 / 13 / (4.0 / 4)) + 9.0 / 13 * Math.Log(9.0 / 13 / (1e-4 / 4));
        Assert.Equal(smoothed, EntropyClipping.Divergence([4, 0, 0, 9], kept: 2, levels: 2), 12);
    }

    [Fact]
    public void Divergence_matches_the_naive_formula_on_random_histograms()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 30; trial++)
        {
            int length = rng.Next(8, 60);
            var h = new long[length];
            for (int k = 0; k < length; k++) h[k] = rng.Next(4) == 0 ? 0 : rng.Next(1, 1000);
            int levels = rng.Next(2, 8);
            for (int kept = levels; kept <= length; kept++)
            {
                Assert.Equal(NaiveDivergence(h, kept, levels), EntropyClipping.Divergence(h, kept, levels), 10);
            }
        }
    }

    [Fact]
    public void Best_bin_count_is_the_argmin_with_ties_going_to_more_bins()
    {
        var rng = new Random(12);
        for (int trial = 0; trial < 20; trial++)
        {
            var h = Enumerable.Range(0, 40).Select(k => (long)(1000 * Math.Exp(-k / 6.0)) + rng.Next(3)).ToArray();
            h[39] = 5; // a far outlier bin
            const int levels = 4;
            var scores = Enumerable.Range(levels, h.Length - levels + 1).Select(i => (Kept: i, Score: NaiveDivergence(h, i, levels))).ToList();
            double min = scores.Min(s => s.Score);
            int expected = scores.Where(s => Math.Abs(s.Score - min) <= 1e-12).Max(s => s.Kept);
            Assert.Equal(expected, EntropyClipping.BestBinCount(h, levels));
        }
        Assert.Equal(3, EntropyClipping.BestBinCount([1, 2, 3], levels: 4));
    }

    [Fact]
    public void Uniform_values_keep_about_the_full_range()
    {
        var one = EntropyClipping.Range(Distributions.Histogram(Distributions.Uniform(2_000_000, 0f, 3f, seed: 13)));
        Assert.Equal(0f, one.Min);
        Assert.InRange(one.Max, 2.9f, 3f);
        var two = EntropyClipping.Range(Distributions.Histogram(Distributions.Uniform(2_000_000, -3f, 3f, seed: 14)));
        Assert.InRange(two.Max, 2.9f, 3f);
        Assert.InRange(two.Min, -3f, -2.9f);
    }

    [Fact]
    public void Gaussian_outliers_are_clipped()
    {
        var values = Distributions.GaussianWithOutliers(1_000_000, outliers: 10, outlier: 60f, seed: 15);
        var range = EntropyClipping.Range(Distributions.Histogram(values));
        Assert.InRange(range.Max, 2.5f, 12f);
        Assert.Equal(-range.Max, range.Min); // one symmetric threshold on |x|
    }

    [Fact]
    public void Relu_outputs_use_all_levels_on_one_side()
    {
        var values = Distributions.Relu(Distributions.GaussianWithOutliers(1_000_000, outliers: 10, outlier: 60f, seed: 16));
        var h = Distributions.Histogram(values);
        var range = EntropyClipping.Range(h);
        Assert.Equal(0f, range.Min);
        Assert.InRange(range.Max, 2.5f, 12f);
        // The threshold is the one the 256-level search picks on the positive side, zeros left out.
        Assert.Equal(EntropyClipping.BestBinCount(h.Positive, 256) * h.BinWidth, range.Max, 4);
    }
}
