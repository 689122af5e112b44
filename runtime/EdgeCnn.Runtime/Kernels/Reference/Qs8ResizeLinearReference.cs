namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Int8 linear Resize over at most two axes, in one step (no int8 intermediate, so the result is rounded once).
/// The source is viewed as [outer, in1, middle, in2, inner] and the output as [outer, out1, middle, out2, inner];
/// with one resized axis the second is a length-1 axis with the single tap 0. Input and output share one
/// quantization (a convex combination of values stays in their range), so the codes are interpolated directly:
/// <code>
/// a = x − zp  (for the four taps)
/// acc = (2¹¹ − w1)·((2¹¹ − w2)·a₀₀ + w2·a₀₁) + w1·((2¹¹ − w2)·a₁₀ + w2·a₁₁)     (exact in int32: |acc| ≤ 255·2²²)
/// y = zp + round(acc / 2²²), halves away from zero
/// </code>
/// with w the upper tap's weight in Q11, <see cref="Weight"/>. The result lies between the smallest and largest tap,
/// so it needs no clamp.
/// </summary>
public static class Qs8ResizeLinearReference
{
    public const int WeightBits = 11;
    public const int WeightOne = 1 << WeightBits;

    /// <summary>The Q11 weight of a tap fraction in [0, 1): round(f·2¹¹), halves up.</summary>
    public static int Weight(double fraction) => (int)Math.Round(fraction * WeightOne, MidpointRounding.AwayFromZero);

    /// <summary>The taps of one axis: per output coordinate the lower and upper source index and the upper's Q11 weight.</summary>
    public sealed class Axis
    {
        public Axis(int inputLength, int[] lower, int[] upper, int[] upperWeight)
        {
            if (lower.Length != upper.Length || lower.Length != upperWeight.Length)
                throw new ArgumentException("a resize axis needs one lower/upper index and weight per output coordinate");
            foreach (int i in lower) if ((uint)i >= (uint)inputLength) throw new ArgumentException("resize index outside the input");
            foreach (int i in upper) if ((uint)i >= (uint)inputLength) throw new ArgumentException("resize index outside the input");
            foreach (int w in upperWeight) if ((uint)w > WeightOne) throw new ArgumentException("resize weight outside [0, 2^11]");
            InputLength = inputLength;
            Lower = lower;
            Upper = upper;
            UpperWeight = upperWeight;
        }

        /// <summary>A length-1 axis that is not resized.</summary>
        public static Axis Unit { get; } = new(1, [0], [0], [0]);

        public int InputLength { get; }
        public int OutputLength => Lower.Length;
        public int[] Lower { get; }
        public int[] Upper { get; }
        public int[] UpperWeight { get; }
    }

    /// <summary>[outer, first, middle, second, inner]: the two resized axes and the extents around them.</summary>
    public sealed record Plan(int Outer, Axis First, int Middle, Axis Second, int Inner)
    {
        public long InputCount => (long)Outer * First.InputLength * Middle * Second.InputLength * Inner;
        public long OutputCount => (long)Outer * First.OutputLength * Middle * Second.OutputLength * Inner;
    }

    public static void Run(Plan plan, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y) =>
        Run(plan, zeroPoint, x, y, 0, plan.Outer * plan.First.OutputLength);

    /// <summary>Only the rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>) of the output viewed as
    /// [outer·out1, middle·out2·inner] (a part of a split op); every output element is computed as in the whole op.</summary>
    public static void Run(Plan plan, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y, int rowBegin, int rowEnd)
    {
        if (x.Length < plan.InputCount || y.Length < plan.OutputCount) throw new ArgumentException("resize buffers smaller than the plan");
        var (first, second) = (plan.First, plan.Second);
        int inner = plan.Inner, middle = plan.Middle;
        int out1 = first.OutputLength, out2 = second.OutputLength, in1 = first.InputLength, in2 = second.InputLength;
        if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > (long)plan.Outer * out1)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) outside the {plan.Outer}×{out1} output rows");
        int written = rowBegin * middle * out2 * inner;
        for (int row = rowBegin; row < rowEnd; row++)
        {
            int o = row / out1, t1 = row % out1;
            int w1 = first.UpperWeight[t1];
            int rowLow = o * in1 + first.Lower[t1], rowHigh = o * in1 + first.Upper[t1];
            for (int m = 0; m < middle; m++)
            {
                int baseLow = (rowLow * middle + m) * in2, baseHigh = (rowHigh * middle + m) * in2;
                for (int t2 = 0; t2 < out2; t2++)
                {
                    int w2 = second.UpperWeight[t2];
                    int i00 = (baseLow + second.Lower[t2]) * inner, i01 = (baseLow + second.Upper[t2]) * inner;
                    int i10 = (baseHigh + second.Lower[t2]) * inner, i11 = (baseHigh + second.Upper[t2]) * inner;
                    for (int k = 0; k < inner; k++)
                    {
                        int low = (WeightOne - w2) * (x[i00 + k] - zeroPoint) + w2 * (x[i01 + k] - zeroPoint);
                        int high = (WeightOne - w2) * (x[i10 + k] - zeroPoint) + w2 * (x[i11 + k] - zeroPoint);
                        int acc = (WeightOne - w1) * low + w1 * high;
                        y[written++] = (sbyte)(zeroPoint + RoundShift(acc));
                    }
                }
            }
        }
    }

    /// <summary>acc / 2²², rounded to nearest with halves away from zero.</summary>
    private static int RoundShift(int acc)
    {
        const int shift = 2 * WeightBits, half = 1 << (shift - 1);
        return acc >= 0 ? (acc + half) >> shift : -((-acc + half) >> shift);
    }
}
