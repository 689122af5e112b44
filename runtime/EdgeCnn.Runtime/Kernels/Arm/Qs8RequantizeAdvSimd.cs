using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeCnn.Runtime.Kernels.Arm;

/// <summary>
/// The int8 output stage (<see cref="Qs8Requantization.Apply"/>) on four channels at once with ARM AdvSimd, bit for
/// bit, in the instructions gemmlowp's scheme was designed for:
/// <list type="number">
/// <item>SQSHL by register: the saturating left shift (count max(shift, 0));</item>
/// <item>SQRDMULH: ⌊(s·M + 2³⁰) / 2³¹⌋, saturated;</item>
/// <item>SRSHL by −r rounds ties toward +∞; subtracting 1 (saturating) from negative values first makes the ties
/// go away from zero, as <see cref="Quantization.FixedPoint.RoundingRightShift"/>;</item>
/// <item>clamp to [Min − zp, Max − zp], then + zp.</item>
/// </list>
/// Callers check <see cref="AdvSimd.IsSupported"/> (the session's kernel path) before calling.
/// </summary>
public static class Qs8RequantizeAdvSimd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Apply(Vector128<int> x, Qs8RequantizeLanes lanes, int channel)
    {
        var left = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.LeftShift, channel));
        var m = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.Multiplier, channel));
        var negatedRight = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.NegatedRightShift, channel));
        var h = AdvSimd.MultiplyRoundedDoublingSaturateHigh(AdvSimd.ShiftArithmeticSaturate(x, left), m);
        // The sign bit of −r is set exactly when r > 0, so the fix-up is −1 for negative h with a right shift, else 0.
        var fixup = AdvSimd.ShiftRightArithmetic(AdvSimd.And(h, negatedRight), 31);
        var q = AdvSimd.ShiftArithmeticRounded(AdvSimd.AddSaturate(h, fixup), negatedRight);
        var low = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.Low, channel));
        var high = Vector128.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.High, channel));
        return AdvSimd.Add(AdvSimd.Min(AdvSimd.Max(q, low), high), Vector128.Create(lanes.ZeroPoint));
    }

    /// <summary>Eight requantized values (already in the int8 range) as bytes, a's four then b's four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector64<sbyte> Narrow(Vector128<int> a, Vector128<int> b) =>
        AdvSimd.ExtractNarrowingSaturateLower(
            AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(a), b));

    /// <summary>Sixteen requantized values as bytes, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Narrow(Vector128<int> a, Vector128<int> b, Vector128<int> c, Vector128<int> d) =>
        AdvSimd.ExtractNarrowingSaturateUpper(
            AdvSimd.ExtractNarrowingSaturateLower(AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(a), b)),
            AdvSimd.ExtractNarrowingSaturateUpper(AdvSimd.ExtractNarrowingSaturateLower(c), d));
}
