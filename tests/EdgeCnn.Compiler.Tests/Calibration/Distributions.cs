using EdgeCnn.Compiler.Calibration;

namespace EdgeCnn.Compiler.Tests.Calibration;

/// <summary>Seeded synthetic activation values for the method tests.</summary>
internal static class Distributions
{
    public static float[] Uniform(int count, float low, float high, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(low + rng.NextDouble() * (high - low));
        return values;
    }

    /// <summary>Standard normal values (Box–Muller).</summary>
    public static float[] Gaussian(int count, int seed, double sigma = 1)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u = 1 - rng.NextDouble(), v = rng.NextDouble();
            values[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }
        return values;
    }

    /// <summary>Gaussian values with a few far outliers on both sides.</summary>
    public static float[] GaussianWithOutliers(int count, int outliers, float outlier, int seed)
    {
        var values = Gaussian(count, seed);
        for (int i = 0; i < outliers; i++) values[i * (count / outliers)] = i % 2 == 0 ? outlier : -outlier;
        return values;
    }

    /// <summary>What a Relu leaves of Gaussian values: about half exact zeros.</summary>
    public static float[] Relu(float[] values) => values.Select(v => Math.Max(v, 0f)).ToArray();

    public static ActivationHistogram Histogram(float[] values, int bins = ActivationHistogram.DefaultBins)
    {
        var h = new ActivationHistogram(values.Min(), values.Max(), bins);
        h.Add(values);
        return h;
    }
}
