namespace EdgeCnn.Cli.Evaluation;

/// <summary>Order statistics of per-image times. The median averages the two middle values of an even count;
/// a percentile is the nearest-rank value: the ⌈p/100·n⌉-th smallest.</summary>
internal sealed record LatencySummary(int Runs, double MedianMs, double P90Ms, double MeanMs, double MinMs, double MaxMs)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("no times to summarize");
        var sorted = milliseconds.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new LatencySummary(n, median, Percentile(sorted, 90), sorted.Average(), sorted[0], sorted[^1]);
    }

    /// <summary>Nearest rank over an ascending array.</summary>
    public static double Percentile(double[] ascending, double percent)
    {
        if (ascending.Length == 0) throw new ArgumentException("no values");
        if (percent is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentile lies in (0, 100]");
        int rank = (int)Math.Ceiling(percent * ascending.Length / 100);
        return ascending[Math.Clamp(rank, 1, ascending.Length) - 1];
    }
}
