using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// The int8 output stage (<see cref="Qs8Requantization.Apply"/>) on four channels at once with cross-platform
/// Vector128 code, bit for bit. Vector128 has no per-lane shifts, so each lane is widened to 64 bits and the
/// shifts become multiplications by the powers of two in <see cref="Qs8RequantizeLanes"/>:
/// <list type="number">
/// <item>s = clamp(x · 2^left) to int32 (the saturating left shift);</item>
/// <item>h = (s · M + 2³⁰) &gt;&gt; 31, the one product that reaches 2³¹ (s = M = −2³¹) saturated (SQRDMULH);</item>
/// <item>q = ⌊(|h| + 2^(right−1)) · 2^(32−right) / 2³²⌋ with h's sign: the rounding right shift, ties away
/// from zero (the product stays below 2⁶³ because |h| ≤ 2³¹ − 1);</item>
/// <item>clamp to [Min − zp, Max − zp], then + zp.</item>
/// </list>
/// </summary>
public static class Qs8RequantizeVector128
{
    /// <summary>Requantizes the accumulators of channels <paramref name="channel"/>..+3; the result lies in [Min, Max].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Apply(Vector128<int> accumulators, Qs8RequantizeLanes lanes, int channel)
    {
        var (lower, upper) = Vector128.Widen(accumulators);
        var scaled = Vector128.Narrow(Scale(lower, lanes, channel), Scale(upper, lanes, channel + 2));
        var low = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.Low, channel));
        var high = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.High, channel));
        return Vector128.Min(Vector128.Max(scaled, low), high) + Vector128.Create(lanes.ZeroPoint);
    }

    /// <summary>Sixteen requantized values (each already in the int8 range) as bytes, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Narrow(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d) =>
        Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d));

    /// <summary>Eight requantized values as bytes: the low 8 bytes of the result (the high 8 repeat them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Narrow(Vector128<int> a, Vector128<int> b)
    {
        var shorts = Vector128.Narrow(a, b);
        return Vector128.Narrow(shorts, shorts);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> Scale(Vector128<long> x, Qs8RequantizeLanes lanes, int channel)
    {
        var shifted = x;
        if (lanes.HasLeftShift)
        {
            var power = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.LeftPower, channel));
            shifted = Vector128.Min(Vector128.Max(x * power, Vector128.Create((long)int.MinValue)), Vector128.Create((long)int.MaxValue));
        }
        var multiplier = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(
            ref Unsafe.As<int, byte>(ref Qs8RequantizeLanes.At(lanes.Multiplier, channel)))).AsInt32());
        var high = Vector128.ShiftRightArithmetic(shifted * multiplier + Vector128.Create(1L << 30), 31);
        high = Vector128.Min(high, Vector128.Create((long)int.MaxValue));
        var half = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.RoundingHalf, channel));
        var scale = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.RightScale, channel));
        var magnitude = Vector128.ShiftRightLogical((Vector128.Abs(high) + half) * scale, 32);
        return Vector128.ConditionalSelect(Vector128.LessThan(high, Vector128<long>.Zero), -magnitude, magnitude);
    }
}
