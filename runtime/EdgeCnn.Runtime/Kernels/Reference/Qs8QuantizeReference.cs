namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Float32 → int8 with per-tensor params: q = clamp(roundHalfToEven(x / scale) + zeroPoint, −128, 127), the
/// quotient taken in double precision (so it rounds as the exact quotient does for every value that lands in
/// the int8 range); NaN gives the zero point and ±∞ saturate. Also used while preparing ops to quantize
/// clamp bounds and pad values the same way.
/// </summary>
public static class Qs8QuantizeReference
{
    public static sbyte Quantize(float x, float scale, int zeroPoint)
    {
        if (float.IsNaN(x)) return (sbyte)zeroPoint;
        double q = Math.Round((double)x / scale, MidpointRounding.ToEven) + zeroPoint;
        return (sbyte)Math.Clamp(q, sbyte.MinValue, sbyte.MaxValue);
    }

    public static void Run(ReadOnlySpan<float> x, float scale, int zeroPoint, Span<sbyte> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = Quantize(x[i], scale, zeroPoint);
    }
}
