using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Float32 → int8 with per-tensor params, 16 values per step, bit-exact with
/// <see cref="Reference.Qs8QuantizeReference"/>: each float is widened to double and divided by the scale in double
/// (the same IEEE quotient as the scalar code), rounded half to even, offset by the zero point and clamped in double,
/// so ±∞ saturate; NaN lanes are replaced by the zero point. The clamped values are small integers, so adding
/// 1.5·2^52 puts each one in the low mantissa bits, where the narrowing reads it (no double→int conversion, which
/// x64 lacks for vectors before AVX-512). The tail runs the scalar reference.
/// </summary>
public static class Qs8QuantizeVector128
{
    private const double IntegerMagic = 6755399441055744.0;

    public static void Run(ReadOnlySpan<float> x, float scale, int zeroPoint, Span<sbyte> y)
    {
        if (x.Length != y.Length)
            throw new ArgumentException($"quantize input holds {x.Length} values, the output {y.Length}", nameof(y));
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref float source = ref MemoryMarshal.GetReference(x);
            ref sbyte target = ref MemoryMarshal.GetReference(y);
            var divisor = Vector128.Create((double)scale);
            var offset = Vector128.Create((double)zeroPoint);
            for (; i + 16 <= y.Length; i += 16)
            {
                var a = Narrow(Vector128.LoadUnsafe(ref source, (nuint)i), divisor, offset);
                var b = Narrow(Vector128.LoadUnsafe(ref source, (nuint)(i + 4)), divisor, offset);
                var c = Narrow(Vector128.LoadUnsafe(ref source, (nuint)(i + 8)), divisor, offset);
                var d = Narrow(Vector128.LoadUnsafe(ref source, (nuint)(i + 12)), divisor, offset);
                Vector128.Narrow(Vector128.Narrow(a, b), Vector128.Narrow(c, d)).StoreUnsafe(ref target, (nuint)i);
            }
        }
        for (; i < y.Length; i++) y[i] = Reference.Qs8QuantizeReference.Quantize(x[i], scale, zeroPoint);
    }

    /// <summary>Four floats quantized, as int32 codes in −128..127.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Narrow(Vector128<float> values, Vector128<double> divisor, Vector128<double> offset)
    {
        var (low, high) = Vector128.Widen(values);
        return Vector128.Narrow(Codes(low, divisor, offset), Codes(high, divisor, offset));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> Codes(Vector128<double> x, Vector128<double> divisor, Vector128<double> offset)
    {
        var q = Vector128.Round(x / divisor) + offset;
        q = Vector128.Min(Vector128.Max(q, Vector128.Create(-128.0)), Vector128.Create(127.0));
        q = Vector128.ConditionalSelect(Vector128.Equals(x, x), q, offset);
        return (q + Vector128.Create(IntegerMagic)).AsInt64();
    }
}
