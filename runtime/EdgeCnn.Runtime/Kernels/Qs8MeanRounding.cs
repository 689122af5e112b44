using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// The last step of the int8 average pools, shared by their SIMD kernels: from raw sums of int8 codes over
/// <c>taps</c> pixels to clamp(zp + round((Σx − taps·zp) / count)), rounded half away from zero exactly as the
/// references (count is taps, or more when padding counts and holds real 0).
/// The division runs two lanes at a time in double: with m = |Σx − taps·zp| + ⌊count/2⌋ and both m and count below
/// 2³², a non-integer m/count lies at least 1/count below the next integer, a relative gap of at least
/// 1/(m + count) &gt; 2⁻³³, far wider than double's 2⁻⁵³ rounding error; so truncating the rounded quotient gives
/// ⌊m/count⌋ exactly (and an integer quotient is exact), the same as the 64-bit
/// integer division of <see cref="FixedPoint.DivideRoundingHalfAwayFromZero"/>, at a fraction of its cost.
/// </summary>
internal static class Qs8MeanRounding
{
    public static void Store(ReadOnlySpan<int> rawSums, int taps, int count, int zeroPoint, ref sbyte y)
    {
        if (count == 0)
        {
            for (int i = 0; i < rawSums.Length; i++) Unsafe.Add(ref y, i) = (sbyte)zeroPoint;
            return;
        }
        var offset = Vector128.Create((double)taps * zeroPoint);
        var half = Vector128.Create((double)(count / 2));
        var divisor = Vector128.Create((double)count);
        var zp = Vector128.Create((double)zeroPoint);
        var low = Vector128.Create((double)sbyte.MinValue);
        var high = Vector128.Create((double)sbyte.MaxValue);
        int c = 0;
        for (; c + 2 <= rawSums.Length; c += 2)
        {
            var sums = Vector128.ConvertToDouble(Vector128.Create((long)rawSums[c], rawSums[c + 1])) - offset;
            var quotient = Vector128.Truncate((Vector128.Abs(sums) + half) / divisor);
            var mean = Vector128.ConditionalSelect(Vector128.LessThan(sums, Vector128<double>.Zero), -quotient, quotient);
            var clamped = Vector128.ConvertToInt64(Vector128.Min(Vector128.Max(zp + mean, low), high));
            Unsafe.Add(ref y, c) = (sbyte)clamped.GetElement(0);
            Unsafe.Add(ref y, c + 1) = (sbyte)clamped.GetElement(1);
        }
        for (; c < rawSums.Length; c++)
        {
            long mean = FixedPoint.DivideRoundingHalfAwayFromZero(rawSums[c] - (long)taps * zeroPoint, count);
            Unsafe.Add(ref y, c) = (sbyte)Math.Clamp(zeroPoint + mean, sbyte.MinValue, sbyte.MaxValue);
        }
    }
}
