using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// The int8 output stage (<see cref="Qs8Requantization.Apply"/>) on eight channels at once with AVX2, bit for bit:
/// <list type="number">
/// <item>saturating left shift (only when some channel has one): VPSLLVD, and lanes whose VPSRAVD back differs
/// from x take 2³¹−1 or −2³¹;</item>
/// <item>SQRDMULH from two VPMULDQ (even and odd lanes) of 64-bit products: bits 31..62 of p + 2³⁰; only
/// s = M = −2³¹ yields −2³¹ there, and it becomes 2³¹ − 1 (x XOR all-ones; only checked when some channel has M = −2³¹);</item>
/// <item>rounding right shift with ties away from zero as gemmlowp: (h &gt;&gt; r) + (remainder &gt; mask/2 + [h &lt; 0]);</item>
/// <item>clamp to [Min − zp, Max − zp], then + zp.</item>
/// </list>
/// Callers check <see cref="Avx2.IsSupported"/> (the session's kernel path) before calling.
/// </summary>
public static class Qs8RequantizeAvx2
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Apply(Vector256<int> x, Qs8RequantizeLanes lanes, int channel)
    {
        var q = Scale(x, lanes, channel);
        var low = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.Low, channel));
        var high = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.High, channel));
        return Avx2.Add(Avx2.Min(Avx2.Max(q, low), high), Vector256.Create(lanes.ZeroPoint));
    }

    /// <summary>Sixteen outputs as bytes (a's eight then b's eight) from two accumulator vectors: with
    /// <see cref="Qs8RequantizeLanes.ClampsInInt16"/> the zero point and the clamp run once on 16 int16 lanes after a
    /// saturating pack (a scaled value outside int16 saturates and is clamped to the same bound), else as
    /// <see cref="Apply"/> on each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Requantize16(Vector256<int> a, Vector256<int> b, Qs8RequantizeLanes lanes, int channel)
    {
        if (!lanes.ClampsInInt16) return Narrow(Apply(a, lanes, channel), Apply(b, lanes, channel + 8));
        var packed = Avx2.PackSignedSaturate(Scale(a, lanes, channel), Scale(b, lanes, channel + 8));
        var shorts = Avx2.Permute4x64(packed.AsInt64(), 0b11_01_10_00).AsInt16();
        shorts = Avx2.AddSaturate(shorts, Vector256.Create((short)lanes.ZeroPoint));
        shorts = Avx2.Min(Avx2.Max(shorts, Vector256.Create((short)lanes.Min)), Vector256.Create((short)lanes.Max));
        return Sse2.PackSignedSaturate(shorts.GetLower(), shorts.GetUpper());
    }

    /// <summary>Steps 1–3: the scaled value before the clamp and the zero point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Scale(Vector256<int> x, Qs8RequantizeLanes lanes, int channel)
    {
        var s = x;
        if (lanes.HasLeftShift)
        {
            var left = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.LeftShift, channel)).AsUInt32();
            var shifted = Avx2.ShiftLeftLogicalVariable(x, left);
            var exact = Avx2.CompareEqual(Avx2.ShiftRightArithmeticVariable(shifted, left), x);
            var saturated = Avx2.Xor(Avx2.ShiftRightArithmetic(x, 31), Vector256.Create(int.MaxValue));
            s = Avx2.BlendVariable(saturated.AsByte(), shifted.AsByte(), exact.AsByte()).AsInt32();
        }

        var m = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.Multiplier, channel));
        var nextM = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.NextMultiplier, channel));
        var round = Vector256.Create(1L << 30);
        var even = Avx2.Add(Avx2.Multiply(s, m), round);
        var odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(s.AsInt64(), 32).AsInt32(), nextM), round);
        var h = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        if (lanes.HasMinMultiplier) h = Avx2.Xor(h, Avx2.CompareEqual(h, Vector256.Create(int.MinValue)));

        var right = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.RightShift, channel)).AsUInt32();
        var mask = Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.RemainderMask, channel));
        var threshold = Avx2.Subtract(Vector256.LoadUnsafe(ref Qs8RequantizeLanes.At(lanes.RoundingThreshold, channel)), Avx2.ShiftRightArithmetic(h, 31));
        return Avx2.Subtract(Avx2.ShiftRightArithmeticVariable(h, right), Avx2.CompareGreaterThan(Avx2.And(h, mask), threshold));
    }

    /// <summary>Eight requantized values (already in the int8 range) as bytes: the low 8 bytes of the result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Narrow(Vector256<int> a)
    {
        var shorts = Sse2.PackSignedSaturate(a.GetLower(), a.GetUpper());
        return Sse2.PackSignedSaturate(shorts, shorts);
    }

    /// <summary>Sixteen requantized values as bytes, a's eight then b's eight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<sbyte> Narrow(Vector256<int> a, Vector256<int> b)
    {
        // VPACKSSDW packs within 128-bit halves ([a0..3 b0..3 | a4..7 b4..7]); the permute restores a's then b's order.
        var shorts = Avx2.Permute4x64(Avx2.PackSignedSaturate(a, b).AsInt64(), 0b11_01_10_00).AsInt16();
        return Sse2.PackSignedSaturate(shorts.GetLower(), shorts.GetUpper());
    }
}
