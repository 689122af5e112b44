using System.Numerics;
using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Tests.Quantized;

/// <summary>
/// <see cref="FixedPoint"/> against an exact model of the documented definition written with BigInteger
/// rationals (docs/quantization.md, "Integer arithmetic"): saturate the left shift, round a·b/2³¹ to the
/// nearest with ties toward +∞, then round h/2^r to the nearest with ties away from zero.
/// </summary>
public sealed class FixedPointTests
{
    private static readonly int[] EdgeInts =
    [
        int.MinValue, int.MinValue + 1, -(1 << 30) - 1, -(1 << 30), -(1 << 30) + 1, -65536, -255, -128, -3, -2, -1,
        0, 1, 2, 3, 127, 255, 65535, (1 << 30) - 1, 1 << 30, (1 << 30) + 1, int.MaxValue - 1, int.MaxValue,
    ];

    [Fact]
    public void Multiply_matches_the_exact_model_on_edge_values_for_every_shift()
    {
        foreach (int x in EdgeInts)
        foreach (int m in EdgeInts)
        for (int shift = -31; shift <= 31; shift++)
            Assert.True(ExactMultiply(x, m, shift) == FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift),
                $"x={x} m={m} shift={shift}: expected {ExactMultiply(x, m, shift)}, got {FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift)}");
    }

    [Fact]
    public void Multiply_matches_the_exact_model_on_random_values()
    {
        var rng = new Random(4242);
        for (int n = 0; n < 200_000; n++)
        {
            int x = RandomInt(rng);
            int m = n % 2 == 0 ? rng.Next(1 << 30, int.MaxValue) : RandomInt(rng);
            int shift = rng.Next(-31, 32);
            int expected = ExactMultiply(x, m, shift);
            int actual = FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift);
            if (expected != actual) Assert.Fail($"x={x} m={m} shift={shift}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void High_multiply_rounds_ties_toward_positive_infinity_and_saturates_the_one_overflow()
    {
        // a·b = ±2³⁰ is exactly ±½ after the division by 2³¹.
        Assert.Equal(1, FixedPoint.SaturatingRoundingDoublingHighMul(1 << 15, 1 << 15));
        Assert.Equal(0, FixedPoint.SaturatingRoundingDoublingHighMul(-(1 << 15), 1 << 15));
        Assert.Equal(-1, FixedPoint.SaturatingRoundingDoublingHighMul(-3 << 14, 1 << 16)); // −1.5 → −1
        Assert.Equal(2, FixedPoint.SaturatingRoundingDoublingHighMul(3 << 14, 1 << 16));   // 1.5 → 2
        Assert.Equal(int.MaxValue, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MinValue));
        Assert.Equal(int.MinValue + 1, FixedPoint.SaturatingRoundingDoublingHighMul(int.MinValue, int.MaxValue));
    }

    [Fact]
    public void Right_shift_rounds_ties_away_from_zero()
    {
        Assert.Equal(2, FixedPoint.RoundingRightShift(3, 1));
        Assert.Equal(-2, FixedPoint.RoundingRightShift(-3, 1));
        Assert.Equal(1, FixedPoint.RoundingRightShift(1, 1));
        Assert.Equal(-1, FixedPoint.RoundingRightShift(-1, 1));
        Assert.Equal(0, FixedPoint.RoundingRightShift(-1, 2));
        Assert.Equal(-1, FixedPoint.RoundingRightShift(-2, 2));
        Assert.Equal(-1, FixedPoint.RoundingRightShift(int.MinValue, 31));
        Assert.Equal(1, FixedPoint.RoundingRightShift(int.MaxValue, 31));
        Assert.Equal(1 << 30, FixedPoint.RoundingRightShift(int.MaxValue, 1));
        for (int e = 0; e <= 31; e++)
            foreach (int x in EdgeInts)
                Assert.Equal(RoundHalfAway(x, BigInteger.One << e), FixedPoint.RoundingRightShift(x, e));
    }

    [Fact]
    public void Left_shift_saturates()
    {
        Assert.Equal(int.MaxValue, FixedPoint.SaturatingLeftShift(1, 31));
        Assert.Equal(int.MinValue, FixedPoint.SaturatingLeftShift(-1, 31));
        Assert.Equal(int.MinValue, FixedPoint.SaturatingLeftShift(-3, 30));
        Assert.Equal(1 << 30, FixedPoint.SaturatingLeftShift(1, 30));
        // Saturated before the multiply: (2³¹ − 1) · 2³⁰ / 2³¹ = 2³⁰ − ½ → 2³⁰.
        Assert.Equal(1 << 30, FixedPoint.MultiplyByQuantizedMultiplier(int.MaxValue, 1 << 30, 2));
    }

    [Fact]
    public void Shifts_outside_the_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.MultiplyByQuantizedMultiplier(1, 1 << 30, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.MultiplyByQuantizedMultiplier(1, 1 << 30, -32));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.RoundingRightShift(1, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.RoundingRightShift(1, -1));
    }

    [Fact]
    public void Quantized_multiplier_is_the_nearest_Q31_significand()
    {
        var rng = new Random(77);
        for (int n = 0; n < 100_000; n++)
        {
            double real = Math.Pow(2, rng.NextDouble() * 60 - 31) * (1 + rng.NextDouble());
            var (m, shift) = FixedPoint.QuantizeMultiplier(real);
            Assert.InRange(m, 1 << 30, int.MaxValue);
            Assert.InRange(shift, -31, 31);
            // |m − real·2^(31 − shift)| ≤ ½, exactly, with ties going up (away from zero).
            var (num, den) = ExactRational(real);
            BigInteger target2 = Scale(num * 2, 31 - shift);   // 2·real·2^(31−shift)·den
            BigInteger diff = (BigInteger)m * 2 * den - target2;            // 2·den·(m − target)
            Assert.True(BigInteger.Abs(diff) <= den && diff != -den,
                $"real {real:R}: multiplier {m}, shift {shift} is not the nearest significand");
        }
    }

    [Theory]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(0.75, 3 << 29, 0)]
    [InlineData(3.0, 3 << 29, 2)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1e-20, 0, 0)]
    public void Quantized_multiplier_known_values(double real, int multiplier, int shift) =>
        Assert.Equal((multiplier, shift), FixedPoint.QuantizeMultiplier(real));

    [Fact]
    public void Quantized_multiplier_edges()
    {
        Assert.Equal((1 << 30, -31), FixedPoint.QuantizeMultiplier(Math.ScaleB(1, -32)));
        Assert.Equal((0, 0), FixedPoint.QuantizeMultiplier(Math.ScaleB(0.99, -32)));
        // Just below 2⁻³², the significand rounds up to exactly 2⁻³², which is kept.
        Assert.Equal((1 << 30, -31), FixedPoint.QuantizeMultiplier(Math.BitDecrement(Math.ScaleB(1, -32))));
        Assert.Equal((0, 0), FixedPoint.QuantizeMultiplier(double.Epsilon));
        // A significand that rounds up to 2³¹ becomes 2³⁰ with the next exponent.
        Assert.Equal((1 << 30, 1), FixedPoint.QuantizeMultiplier(1 - Math.ScaleB(1, -40)));
        Assert.Equal((1 << 30, 31), FixedPoint.QuantizeMultiplier(Math.ScaleB(1, 30)));
        Assert.Equal(31, FixedPoint.QuantizeMultiplier(1e12).Shift);
        Assert.Equal(31, FixedPoint.QuantizeMultiplier(double.MaxValue).Shift);
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(-1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.QuantizeMultiplier(double.PositiveInfinity));
    }

    [Fact]
    public void Capping_a_huge_shift_changes_no_result()
    {
        var (m, shift) = FixedPoint.QuantizeMultiplier(1e12);
        int uncappedShift = Math.ILogB(1e12) + 1;
        Assert.True(uncappedShift > 31);
        foreach (int x in EdgeInts)
            Assert.Equal(ExactMultiply(x, m, uncappedShift), FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift));
    }

    [Fact]
    public void Flushing_a_tiny_multiplier_to_zero_changes_no_result()
    {
        double real = Math.ScaleB(0.99999, -32);
        Assert.Equal((0, 0), FixedPoint.QuantizeMultiplier(real));
        foreach (int x in EdgeInts)
            Assert.Equal(0, RoundHalfAway(ExactRational(real).Num * x, ExactRational(real).Den));
    }

    [Fact]
    public void Applying_a_quantized_multiplier_stays_within_one_of_the_real_product()
    {
        var rng = new Random(5);
        for (int n = 0; n < 50_000; n++)
        {
            double real = Math.Pow(2, rng.NextDouble() * 40 - 30);
            int x = rng.Next(-(1 << 20), 1 << 20);
            if (Math.Abs(x * real) > int.MaxValue / 2) continue;
            var (m, shift) = FixedPoint.QuantizeMultiplier(real);
            int y = FixedPoint.MultiplyByQuantizedMultiplier(x, m, shift);
            Assert.True(Math.Abs(y - x * real) <= 1.0 + Math.Abs(x * real) * 1e-9, $"x={x} real={real:R}: got {y}, real product {x * real}");
        }
    }

    [Fact]
    public void Rounded_division_matches_an_exact_rational_rounding()
    {
        var rng = new Random(11);
        long[] edges = [0, 1, -1, 2, -2, 3, -3, 5, -5, 7, -7, 1_000_001, -1_000_001, int.MaxValue, int.MinValue];
        foreach (long n in edges)
            for (long d = 1; d <= 9; d++)
                Assert.Equal((long)RoundHalfAway(n, d), FixedPoint.DivideRoundingHalfAwayFromZero(n, d));
        for (int i = 0; i < 50_000; i++)
        {
            long n = rng.NextInt64(-(1L << 40), 1L << 40);
            long d = rng.NextInt64(1, 1L << 20);
            Assert.Equal((long)RoundHalfAway(n, d), FixedPoint.DivideRoundingHalfAwayFromZero(n, d));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.DivideRoundingHalfAwayFromZero(1, 0));
    }

    /// <summary>The documented definition on unbounded integers.</summary>
    private static int ExactMultiply(int x, int m, int shift)
    {
        BigInteger v = x;
        if (shift > 0) v = BigInteger.Clamp(v * BigInteger.Pow(2, shift), int.MinValue, int.MaxValue);
        // Nearest of v·m / 2³¹ with ties toward +∞: ⌊(2·v·m + 2³¹) / 2³²⌋.
        BigInteger high = FloorDivide(2 * v * m + BigInteger.Pow(2, 31), BigInteger.Pow(2, 32));
        if (high > int.MaxValue) high = int.MaxValue;
        if (shift < 0) high = RoundHalfAway(high, BigInteger.Pow(2, -shift));
        return (int)high;
    }

    private static BigInteger FloorDivide(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }

    /// <summary>a / b (b &gt; 0) to the nearest integer, ties away from zero, via magnitudes.</summary>
    private static BigInteger RoundHalfAway(BigInteger a, BigInteger b)
    {
        BigInteger magnitude = (2 * BigInteger.Abs(a) + b) / (2 * b);
        return a.Sign < 0 ? -magnitude : magnitude;
    }

    /// <summary>A positive finite double as an exact fraction num/den.</summary>
    private static (BigInteger Num, BigInteger Den) ExactRational(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        BigInteger significand = exponent == 0 ? fraction : fraction | (1L << 52);
        int power = (exponent == 0 ? 1 : exponent) - 1075;
        return power >= 0 ? (significand << power, BigInteger.One) : (significand, BigInteger.One << -power);
    }

    private static BigInteger Scale(BigInteger value, int power) => power >= 0 ? value << power : throw new ArgumentOutOfRangeException(nameof(power));

    private static int RandomInt(Random rng) => rng.Next(4) switch
    {
        0 => rng.Next(-256, 256),
        1 => rng.Next(-(1 << 20), 1 << 20),
        _ => (int)(uint)rng.NextInt64(0, 1L << 32),
    };
}
