using EdgeCnn.Cli.Evaluation;

namespace EdgeCnn.Cli.Tests.Evaluation;

public sealed class LatencySummaryTests
{
    [Fact]
    public void Median_and_nearest_rank_p90()
    {
        var odd = LatencySummary.Of([5, 1, 4, 2, 3]);
        Assert.Equal((3.0, 5.0, 3.0, 1.0, 5.0), (odd.MedianMs, odd.P90Ms, odd.MeanMs, odd.MinMs, odd.MaxMs)); // ⌈0.9·5⌉ = 5th
        var even = LatencySummary.Of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        Assert.Equal(5.5, even.MedianMs);
        Assert.Equal(9.0, even.P90Ms); // ⌈0.9·10⌉ = 9th
        var many = LatencySummary.Of(Enumerable.Range(1, 500).Select(i => (double)i).ToArray());
        Assert.Equal(450.0, many.P90Ms);
        Assert.Equal(1.0, LatencySummary.Of([1.0]).P90Ms);
        Assert.Throws<ArgumentException>(() => LatencySummary.Of(Array.Empty<double>()));
    }
}
