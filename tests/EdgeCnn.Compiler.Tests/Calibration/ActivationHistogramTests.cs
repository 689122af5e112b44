using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class ActivationHistogramTests
{
    [Fact]
    public void Bins_share_one_width_and_the_wider_side_has_all_bins()
    {
        var h = new ActivationHistogram(-1f, 4f, bins: 8);
        Assert.Equal(0.5, h.BinWidth);
        Assert.Equal(8, h.Positive.Length);
        Assert.Equal(2, h.Negative.Length);

        var narrow = new ActivationHistogram(-4f, 1.1f, bins: 8);
        Assert.Equal(8, narrow.Negative.Length);
        Assert.Equal(3, narrow.Positive.Length); // ceil(1.1 / 0.5)

        var relu = new ActivationHistogram(0f, 3f, bins: 16);
        Assert.Empty(relu.Negative);
        Assert.Equal(16, relu.Positive.Length);
    }

    [Fact]
    public void Counts_match_floor_of_magnitude_over_width_with_zeros_apart()
    {
        float[] values = [-1f, -0.75f, -0.25f, 0f, 0f, 0.1f, 0.5f, 0.99f, 1.5f, 3.2f, 4f];
        var h = new ActivationHistogram(-1f, 4f, bins: 8);
        h.Add(values);
        var positive = new long[8];
        var negative = new long[2];
        long zeros = 0;
        foreach (var x in values)
        {
            // Independent bin rule: floor(|x| / w), the side's end belonging to its last bin.
            if (x == 0) { zeros++; continue; }
            var side = x > 0 ? positive : negative;
            side[Math.Min((int)Math.Floor(Math.Abs(x) / 0.5), side.Length - 1)]++;
        }
        Assert.Equal(positive, h.Positive);
        Assert.Equal(negative, h.Negative);
        Assert.Equal(zeros, h.Zeros);
        Assert.Equal(values.Length, h.Total);
    }

    [Fact]
    public void Folding_gives_the_histogram_of_absolute_nonzero_values()
    {
        var values = Distributions.Uniform(5000, -2f, 3f, seed: 4).Append(0f).ToArray();
        var h = Distributions.Histogram(values, bins: 64);
        var expected = new long[64];
        foreach (var x in values.Where(v => v != 0))
            expected[Math.Min((int)(Math.Abs((double)x) / h.BinWidth), 63)]++;
        Assert.Equal(expected, h.FoldMagnitudes());
    }

    [Fact]
    public void Values_outside_the_range_or_nan_are_rejected()
    {
        var h = new ActivationHistogram(-1f, 1f, bins: 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Add([1.5f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Add([-1.01f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Add([float.NaN]));
        Assert.Throws<ArgumentException>(() => new ActivationHistogram(2f, 1f));
        Assert.Throws<ArgumentException>(() => new ActivationHistogram(0f, float.PositiveInfinity));
    }

    [Fact]
    public void An_all_zero_tensor_has_no_bins()
    {
        var h = new ActivationHistogram(0f, 0f);
        h.Add([0f, 0f, 0f]);
        Assert.Equal(0, h.BinWidth);
        Assert.Empty(h.Positive);
        Assert.Empty(h.Negative);
        Assert.Equal(3, h.Zeros);
        Assert.Equal(0, h.ValueAtFraction(0.5));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.001)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.9999)]
    [InlineData(1.0)]
    public void Quantiles_agree_with_the_sorted_values_within_a_bin(double fraction)
    {
        var values = Distributions.Gaussian(100_000, seed: 9);
        var h = Distributions.Histogram(values);
        var sorted = values.Select(v => (double)v).Order().ToArray();
        double expected = sorted[(int)Math.Min(sorted.Length - 1, Math.Round(fraction * (sorted.Length - 1)))];
        Assert.InRange(h.ValueAtFraction(fraction), expected - h.BinWidth, expected + h.BinWidth);
    }
}
