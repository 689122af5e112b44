namespace EdgeCnn.Compiler.Calibration;

/// <summary>
/// The distribution of one tensor's values over all calibration samples, split at zero. Exact zeros are
/// counted apart (zero is always representable, so they never carry quantization error). Positive and
/// negative values fall into bins of one common width w = max(−min, max) / bins, bin k holding |x| in
/// [k·w, (k+1)·w): the wider side has exactly <c>bins</c> bins, the narrower one ceil(extent / w). Because both
/// sides share w and start at zero, folding them into a histogram of |x| is exact.
/// </summary>
/// <remarks>The range [min, max] must be known before the first value arrives (the calibrator's first pass
/// measures it); a fixed layout keeps the counts exact and independent of sample order.</remarks>
public sealed class ActivationHistogram
{
    public const int DefaultBins = 2048;

    public ActivationHistogram(float min, float max, int bins = DefaultBins)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || min > max)
            throw new ArgumentException($"histogram range [{min}, {max}] must be finite with min <= max");
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "a histogram needs at least one bin");
        Min = min;
        Max = max;
        Bins = bins;
        double extent = Math.Max(-(double)min, max);
        BinWidth = extent > 0 ? extent / bins : 0;
        Positive = new long[SideLength(max, BinWidth, bins)];
        Negative = new long[SideLength(-(double)min, BinWidth, bins)];
    }

    public float Min { get; }
    public float Max { get; }

    /// <summary>The bin count of the wider side.</summary>
    public int Bins { get; }

    /// <summary>0 when the tensor only ever held zeros.</summary>
    public double BinWidth { get; }

    /// <summary>Bin k counts values x &gt; 0 with x in [k·w, (k+1)·w).</summary>
    public long[] Positive { get; }

    /// <summary>Bin k counts values x &lt; 0 with −x in [k·w, (k+1)·w).</summary>
    public long[] Negative { get; }

    public long Zeros { get; private set; }

    public long Total { get; private set; }

    private static int SideLength(double extent, double width, int bins) =>
        extent <= 0 ? 0 : (int)Math.Clamp(Math.Ceiling(extent / width), 1, bins);

    /// <summary>Counts <paramref name="values"/>. A value outside [<see cref="Min"/>, <see cref="Max"/>] (or NaN)
    /// throws <see cref="ArgumentOutOfRangeException"/>: the layout was fixed for the range, and silently piling
    /// such a value into the last bin would misstate the distribution.</summary>
    public void Add(ReadOnlySpan<float> values)
    {
        double width = BinWidth;
        foreach (float x in values)
        {
            if (x > 0)
            {
                if (x > Max) throw Outside(x);
                Positive[Index(x / width, Positive.Length)]++;
            }
            else if (x < 0)
            {
                if (x < Min) throw Outside(x);
                Negative[Index(-(double)x / width, Negative.Length)]++;
            }
            else if (x == 0)
            {
                Zeros++;
            }
            else
            {
                throw Outside(x);
            }
        }
        Total += values.Length;
    }

    // The value equal to the side's extent lands on the side's end edge; it belongs to the last bin.
    private static int Index(double scaled, int length) => scaled >= length ? length - 1 : (int)scaled;

    private ArgumentOutOfRangeException Outside(float x) =>
        new(paramName: null, $"value {x} lies outside the histogram's range [{Min}, {Max}]");

    /// <summary>The histogram of |x| over the non-zero values: bin k = Positive[k] + Negative[k].</summary>
    public long[] FoldMagnitudes()
    {
        var folded = new long[Math.Max(Positive.Length, Negative.Length)];
        for (int k = 0; k < Positive.Length; k++) folded[k] += Positive[k];
        for (int k = 0; k < Negative.Length; k++) folded[k] += Negative[k];
        return folded;
    }

    /// <summary>The value below which <paramref name="fraction"/> of all counted values lie, interpolating
    /// linearly inside a bin (values are taken as spread evenly over their bin) and clamped to [Min, Max].</summary>
    public double ValueAtFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a fraction lies in [0, 1]");
        if (Total == 0) return 0;
        double target = fraction * Total;
        double below = 0;
        for (int k = Negative.Length - 1; k >= 0; k--)
        {
            long n = Negative[k];
            if (n > 0 && below + n >= target)
                return Clamp(-(k + 1) * BinWidth + (target - below) / n * BinWidth);
            below += n;
        }
        if (Zeros > 0 && below + Zeros >= target) return 0;
        below += Zeros;
        for (int k = 0; k < Positive.Length; k++)
        {
            long n = Positive[k];
            if (n > 0 && below + n >= target)
                return Clamp(k * BinWidth + (target - below) / n * BinWidth);
            below += n;
        }
        return Max;
    }

    private double Clamp(double value) => Math.Clamp(value, Min, Max);
}
