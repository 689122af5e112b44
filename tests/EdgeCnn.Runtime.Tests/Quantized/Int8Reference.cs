using System.Numerics;
using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// The documented int8 arithmetic written out independently of the kernels (docs/quantization.md): exact
/// quantization of a real value with BigInteger rationals, the output stage from FixedPoint (which has its own
/// exact tests), rounded means, and random int8 data that always includes the −128 and 127 extremes.
/// </summary>
internal static class Int8Reference
{
    /// <summary>clamp(roundHalfToEven(x / scale) + zp, −128, 127) on the exact quotient; NaN → zp.</summary>
    public static int Quantize(float x, float scale, int zeroPoint)
    {
        if (float.IsNaN(x)) return zeroPoint;
        if (float.IsInfinity(x)) return x > 0 ? 127 : -128;
        var (xn, xd) = Rational(x);
        var (sn, sd) = Rational(scale);
        // x / s = (xn·sd) / (xd·sn), with sn > 0.
        BigInteger num = xn * sd, den = xd * sn;
        BigInteger q = BigInteger.DivRem(num, den, out var rem);
        if (rem.Sign < 0) { q -= 1; rem += den; }           // floor, 0 ≤ rem < den
        int cmp = (2 * rem).CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;     // ties to even
        return (int)BigInteger.Clamp(q + zeroPoint, -128, 127);
    }

    /// <summary>Output bounds of a fused activation: none, Relu (0, ∞) or Clip(α, β), quantized with the output params.</summary>
    public static (int Lo, int Hi) Bounds(ActivationKind kind, float alpha, float beta, float scale, int zeroPoint) => kind switch
    {
        ActivationKind.None => (-128, 127),
        ActivationKind.Relu => (Quantize(0f, scale, zeroPoint), 127),
        ActivationKind.Clip => (Quantize(alpha, scale, zeroPoint), Quantize(beta, scale, zeroPoint)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>clamp(zp + MultiplyByQuantizedMultiplier(acc, QuantizeMultiplier(real)), lo, hi) with clamp = min(max()).</summary>
    public static sbyte Requantize(long accumulator, double real, int zeroPoint, int lo, int hi)
    {
        Assert.InRange(accumulator, int.MinValue, int.MaxValue);
        var (m, shift) = FixedPoint.QuantizeMultiplier(real);
        long v = zeroPoint + (long)FixedPoint.MultiplyByQuantizedMultiplier((int)accumulator, m, shift);
        return (sbyte)Math.Min(Math.Max(v, lo), hi);
    }

    /// <summary>n / d rounded to nearest, ties away from zero, via magnitudes in BigInteger.</summary>
    public static long RoundedMean(long sum, long count)
    {
        BigInteger magnitude = (2 * BigInteger.Abs(sum) + count) / (2 * (BigInteger)count);
        return (long)(sum < 0 ? -magnitude : magnitude);
    }

    public static sbyte[] RandomInt8(Random rng, int count, int low = -128, int high = 127)
    {
        var data = new sbyte[count];
        for (int i = 0; i < count; i++)
        {
            int pick = rng.Next(10);
            data[i] = (sbyte)(pick == 0 ? low : pick == 1 ? high : rng.Next(low, high + 1));
        }
        return data;
    }

    public static int[] RandomInt32(Random rng, int count, int magnitude)
    {
        var data = new int[count];
        for (int i = 0; i < count; i++) data[i] = rng.Next(-magnitude, magnitude + 1);
        return data;
    }

    public static float Dequantize(int q, QuantParams p) => (q - p.ZeroPoint) * p.Scale;

    /// <summary>A positive or negative finite float as the exact fraction num/den (den &gt; 0).</summary>
    private static (BigInteger Num, BigInteger Den) Rational(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        int exponent = (bits >> 23) & 0xFF;
        int fraction = bits & 0x7FFFFF;
        BigInteger significand = exponent == 0 ? fraction : fraction | 0x800000;
        if (bits < 0) significand = -significand;
        int power = (exponent == 0 ? 1 : exponent) - 150;
        return power >= 0 ? (significand << power, BigInteger.One) : (significand, BigInteger.One << -power);
    }
}
