using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The output stage of an int8 convolution or fully connected layer, prepared once: per output channel c,
/// y = min(max(zeroPoint + MultiplyByQuantizedMultiplier(acc, Multipliers[c], Shifts[c]), Min), Max),
/// the addition exact (64-bit). Min/Max are the fused activation's quantized bounds, already inside
/// [−128, 127]; when Min &gt; Max every output is Max, as the float Clip gives.
/// </summary>
public sealed class Qs8Requantization
{
    public Qs8Requantization(int[] multipliers, int[] shifts, int zeroPoint, int min, int max)
    {
        if (multipliers.Length != shifts.Length) throw new ArgumentException("one multiplier and one shift per channel");
        if (min < sbyte.MinValue || max > sbyte.MaxValue) throw new ArgumentOutOfRangeException(nameof(min), "bounds must lie in the int8 range");
        Multipliers = multipliers;
        Shifts = shifts;
        ZeroPoint = zeroPoint;
        Min = min;
        Max = max;
    }

    /// <summary>Converts each real multiplier with <see cref="FixedPoint.QuantizeMultiplier"/>.</summary>
    public static Qs8Requantization FromReal(ReadOnlySpan<double> realMultipliers, int zeroPoint, int min, int max)
    {
        var multipliers = new int[realMultipliers.Length];
        var shifts = new int[realMultipliers.Length];
        for (int c = 0; c < realMultipliers.Length; c++)
            (multipliers[c], shifts[c]) = FixedPoint.QuantizeMultiplier(realMultipliers[c]);
        return new Qs8Requantization(multipliers, shifts, zeroPoint, min, max);
    }

    public int[] Multipliers { get; }
    public int[] Shifts { get; }
    public int ZeroPoint { get; }
    public int Min { get; }
    public int Max { get; }

    public sbyte Apply(int accumulator, int channel)
    {
        long v = ZeroPoint + (long)FixedPoint.MultiplyByQuantizedMultiplier(accumulator, Multipliers[channel], Shifts[channel]);
        return (sbyte)Math.Min(Math.Max(v, Min), Max);
    }
}
