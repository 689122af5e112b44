using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

public class CalibrationMethodTests
{
    [Theory]
    [InlineData("minmax", CalibrationMethodKind.MinMax, "minmax")]
    [InlineData("MinMax", CalibrationMethodKind.MinMax, "minmax")]
    [InlineData("percentile", CalibrationMethodKind.Percentile, "percentile:99.99")]
    [InlineData("percentile:99.9", CalibrationMethodKind.Percentile, "percentile:99.9")]
    [InlineData(" percentile:100 ", CalibrationMethodKind.Percentile, "percentile:100")]
    [InlineData("entropy", CalibrationMethodKind.Entropy, "entropy")]
    [InlineData("mse", CalibrationMethodKind.Mse, "mse")]
    public void Parses_every_method_and_prints_its_canonical_name(string text, CalibrationMethodKind kind, string canonical)
    {
        var method = CalibrationMethod.Parse(text);
        Assert.Equal(kind, method.Kind);
        Assert.Equal(canonical, method.ToString());
        Assert.Equal(method, CalibrationMethod.Parse(canonical));
    }

    [Fact]
    public void Percentile_value_is_kept()
    {
        Assert.Equal(99.9, CalibrationMethod.Parse("percentile:99.9").Percentile);
        Assert.Equal(CalibrationMethod.DefaultPercentile, CalibrationMethod.Parse("percentile").Percentile);
    }

    [Theory]
    [InlineData("kl", "unknown calibration method")]
    [InlineData("", "unknown calibration method")]
    [InlineData("percentile:abc", "must be a number in [50, 100]")]
    [InlineData("percentile:30", "must be a number in [50, 100]")]
    [InlineData("percentile:100.5", "must be a number in [50, 100]")]
    [InlineData("percentile:NaN", "must be a number in [50, 100]")]
    [InlineData("mse:3", "only percentile takes a value")]
    public void Malformed_methods_are_rejected_with_the_accepted_forms(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => CalibrationMethod.Parse(text));
        Assert.Contains(message, ex.Message);
        Assert.False(CalibrationMethod.TryParse(text, out _, out string? error));
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void Only_minmax_gets_by_without_histograms()
    {
        Assert.False(CalibrationMethod.MinMax.NeedsHistogram);
        Assert.True(CalibrationMethod.PercentileOf().NeedsHistogram);
        Assert.True(CalibrationMethod.Entropy.NeedsHistogram);
        Assert.True(CalibrationMethod.Mse.NeedsHistogram);
    }
}
