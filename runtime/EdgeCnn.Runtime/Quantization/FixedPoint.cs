namespace EdgeCnn.Runtime.Quantization;

/// <summary>
/// The integer arithmetic of int8 requantization, shared by the runtime's kernels and the quantizer
/// (docs/quantization.md, "Integer arithmetic"). A real multiplier r is stored as a Q31 mantissa M and
/// a power-of-two exponent ("shift"): r ≈ M · 2^(shift − 31) with M in [2³⁰, 2³¹) (or M = 0 for r = 0).
/// Applying it to an int32 x is, exactly:
/// <code>
/// y = RoundingRightShift(SaturatingRoundingDoublingHighMul(Saturate32(x · 2^max(shift, 0)), M), max(−shift, 0))
/// </code>
/// the two-step scheme of gemmlowp and TFLite, so an ARM SQRDMULH + SRSHL-style kernel can reproduce it.
/// Every step is defined on exact integers; nothing depends on the ISA or on floating point.
/// </summary>
public static class FixedPoint
{
    /// <summary>The largest left or right shift a quantized multiplier uses.</summary>
    public const int MaxShift = 31;

    /// <summary>
    /// Splits <paramref name="real"/> (finite, ≥ 0) into a Q31 mantissa and a shift with
    /// real ≈ multiplier · 2^(shift − 31). The mantissa is real's binary significand in [0.5, 1) times 2³¹,
    /// rounded to the nearest integer with ties away from zero (a significand that rounds up to 2³¹ becomes
    /// 2³⁰ with the shift one higher), so the relative error is at most 2⁻³¹.
    /// Edge cases, chosen so that no result of <see cref="MultiplyByQuantizedMultiplier"/> changes:
    /// <list type="bullet">
    /// <item>real = 0, or real still below 2⁻³² after its significand is rounded (shift below −31): (0, 0).
    /// For every int32 x, |x · real| &lt; ½, which rounds to 0 anyway.</item>
    /// <item>real ≥ 2³¹ (shift above 31): the shift is capped at 31. Any non-zero x already saturates at a
    /// left shift of 31, so a larger shift would give the same result.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">real is negative, NaN or infinite.</exception>
    public static (int Multiplier, int Shift) QuantizeMultiplier(double real)
    {
        if (!double.IsFinite(real) || real < 0)
            throw new ArgumentOutOfRangeException(nameof(real), real, "a quantized multiplier must be finite and not negative");
        if (real == 0) return (0, 0);

        // real = significand · 2^exponent with significand in [0.5, 1).
        int exponent = Math.ILogB(real) + 1;
        double significand = Math.ScaleB(real, -exponent);
        long mantissa = (long)Math.Round(Math.ScaleB(significand, 31), MidpointRounding.AwayFromZero);
        if (mantissa == 1L << 31)
        {
            mantissa >>= 1;
            exponent++;
        }
        if (exponent < -MaxShift) return (0, 0);
        return ((int)mantissa, Math.Min(exponent, MaxShift));
    }

    /// <summary>
    /// x · multiplier · 2^(shift − 31), rounded in two exact steps (gemmlowp / TFLite):
    /// <list type="number">
    /// <item>if shift &gt; 0: x ← x · 2^shift, saturated to [−2³¹, 2³¹ − 1];</item>
    /// <item>h = <see cref="SaturatingRoundingDoublingHighMul"/>(x, multiplier) = ⌊(x · multiplier + 2³⁰) / 2³¹⌋
    /// (ties toward +∞);</item>
    /// <item>if shift &lt; 0: y = <see cref="RoundingRightShift"/>(h, −shift) = h / 2^(−shift) rounded to the
    /// nearest integer, ties away from zero.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">shift outside −31..31.</exception>
    public static int MultiplyByQuantizedMultiplier(int x, int multiplier, int shift)
    {
        if (shift < -MaxShift || shift > MaxShift)
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"a quantized multiplier's shift lies in -{MaxShift}..{MaxShift}");
        int shifted = shift > 0 ? SaturatingLeftShift(x, shift) : x;
        int high = SaturatingRoundingDoublingHighMul(shifted, multiplier);
        return shift < 0 ? RoundingRightShift(high, -shift) : high;
    }

    /// <summary>
    /// The high 32 bits of 2·a·b, rounded: ⌊(a · b + 2³⁰) / 2³¹⌋, i.e. a·b/2³¹ to the nearest integer with
    /// ties toward +∞ (as ARM's SQRDMULH and gemmlowp). The one product that does not fit, a = b = −2³¹
    /// (2³¹), saturates to 2³¹ − 1.
    /// </summary>
    public static int SaturatingRoundingDoublingHighMul(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        return (int)(((long)a * b + (1L << 30)) >> 31);
    }

    /// <summary>x / 2^exponent (exponent 0..31) rounded to the nearest integer, ties away from zero
    /// (gemmlowp's RoundingDivideByPOT).</summary>
    public static int RoundingRightShift(int x, int exponent)
    {
        if ((uint)exponent > MaxShift)
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, $"the exponent lies in 0..{MaxShift}");
        if (exponent == 0) return x;
        long floor = (long)x >> exponent;
        long remainder = x - (floor << exponent);
        long half = 1L << (exponent - 1);
        bool up = remainder > half || (remainder == half && x >= 0);
        return (int)(floor + (up ? 1 : 0));
    }

    /// <summary>x · 2^shift (shift 0..31) saturated to the int32 range.</summary>
    public static int SaturatingLeftShift(int x, int shift)
    {
        if ((uint)shift > MaxShift)
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"the shift lies in 0..{MaxShift}");
        return (int)Math.Clamp((long)x << shift, int.MinValue, int.MaxValue);
    }

    /// <summary>numerator / denominator (denominator &gt; 0) rounded to the nearest integer, ties away from
    /// zero: the rounded mean of the int8 average pools.</summary>
    public static long DivideRoundingHalfAwayFromZero(long numerator, long denominator)
    {
        if (denominator <= 0) throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "the denominator must be positive");
        long half = denominator / 2;
        // Ties exist only for even denominators, where half is exact; C# division truncates toward zero.
        return numerator >= 0 ? (numerator + half) / denominator : (numerator - half) / denominator;
    }
}
