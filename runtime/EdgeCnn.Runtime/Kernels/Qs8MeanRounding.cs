using System.Runtime.CompilerServices;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The last step of the int8 average pools, shared by their SIMD kernels: from raw sums of int8 codes over
/// <c>taps</c> pixels to clamp(zp + round((Σx − taps·zp) / count)), rounded half away from zero exactly as the
/// references (count is taps, or more when padding counts and holds real 0). The
/// division stays scalar: it runs once per output value while the sums take one add per tap.
/// </summary>
internal static class Qs8MeanRounding
{
    public static void Store(ReadOnlySpan<int> rawSums, int taps, int count, int zeroPoint, ref sbyte y)
    {
        long offset = (long)taps * zeroPoint;
        for (int i = 0; i < rawSums.Length; i++)
        {
            long mean = count == 0 ? 0 : FixedPoint.DivideRoundingHalfAwayFromZero(rawSums[i] - offset, count);
            Unsafe.Add(ref y, i) = (sbyte)Math.Clamp(zeroPoint + mean, sbyte.MinValue, sbyte.MaxValue);
        }
    }
}
