using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class PercentileAndMinMaxTests
{
    [Fact]
    public void Uniform_values_keep_about_the_full_range()
    {
        var values = Distributions.Uniform(1_000_000, -1f, 3f, seed: 1);
        var h = Distributions.Histogram(values);
        var minmax = RangeSelector.Select(h, CalibrationMethod.MinMax);
        Assert.Equal(values.Min(), minmax.Min);
        Assert.Equal(values.Max(), minmax.Max);
        var percentile = PercentileClipping.Range(h, 99.99);
        // 0.01% of a 4-wide uniform range is 0.0004 per side; allow a bin on top.
        Assert.InRange(percentile.Min, -1f, -1f + 0.0004f + (float)h.BinWidth);
        Assert.InRange(percentile.Max, 3f - 0.0004f - (float)h.BinWidth, 3f);
    }

    [Fact]
    public void Percentile_bounds_are_the_sorted_values_at_each_tail()
    {
        var values = Distributions.Gaussian(400_000, seed: 2);
        var h = Distributions.Histogram(values);
        var sorted = values.Order().ToArray();
        var range = PercentileClipping.Range(h, 99.9);
        float lower = sorted[(int)(0.001 * (sorted.Length - 1))];
        float upper = sorted[(int)(0.999 * (sorted.Length - 1))];
        Assert.InRange(range.Min, lower - 2 * h.BinWidth, lower + 2 * h.BinWidth);
        Assert.InRange(range.Max, upper - 2 * h.BinWidth, upper + 2 * h.BinWidth);
        // About 3.09 sigma for a normal distribution.
        Assert.InRange(range.Max, 3.0, 3.2);
    }

    [Fact]
    public void Percentile_clips_rare_outliers()
    {
        var values = Distributions.GaussianWithOutliers(200_000, outliers: 8, outlier: 60f, seed: 3);
        var range = PercentileClipping.Range(Distributions.Histogram(values), 99.99);
        Assert.Equal(-60f, values.Min());
        Assert.InRange(range.Max, 3.3f, 4.5f);
        Assert.InRange(range.Min, -4.5f, -3.3f);
    }

    [Fact]
    public void Ranges_always_contain_zero()
    {
        var positive = Distributions.Uniform(10_000, 2f, 5f, seed: 5);
        var h = Distributions.Histogram(positive);
        Assert.Equal(new TensorRange(0f, positive.Max()), RangeSelector.Select(h, CalibrationMethod.MinMax));
        Assert.Equal(0f, PercentileClipping.Range(h, 99).Min);
        Assert.Equal(0f, EntropyClipping.Range(h).Min);
        Assert.Equal(0f, MseClipping.Range(h).Min);

        var negative = positive.Select(v => -v).ToArray();
        var hn = Distributions.Histogram(negative);
        Assert.Equal(0f, PercentileClipping.Range(hn, 99).Max);
        Assert.Equal(0f, EntropyClipping.Range(hn).Max);
        Assert.Equal(0f, MseClipping.Range(hn).Max);
    }

    [Fact]
    public void Relu_outputs_start_at_zero_under_every_method()
    {
        var h = Distributions.Histogram(Distributions.Relu(Distributions.Gaussian(100_000, seed: 6)));
        Assert.True(h.Zeros > 40_000);
        foreach (var method in new[] { CalibrationMethod.MinMax, CalibrationMethod.PercentileOf(99.9), CalibrationMethod.Entropy, CalibrationMethod.Mse })
        {
            var range = RangeSelector.Select(h, method);
            Assert.True(range.Min == 0f && range.Max >= 2f && range.Max <= h.Max, $"{method}: [{range.Min}, {range.Max}]");
        }
    }

    [Fact]
    public void An_all_zero_tensor_gets_the_empty_range()
    {
        var h = new ActivationHistogram(0f, 0f);
        h.Add(new float[100]);
        foreach (var method in new[] { CalibrationMethod.MinMax, CalibrationMethod.PercentileOf(), CalibrationMethod.Entropy, CalibrationMethod.Mse })
            Assert.Equal(new TensorRange(0f, 0f), RangeSelector.Select(h, method));
    }
}
