using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// Int8 Add/Sub and Mul rows (<see cref="Qs8BinaryKernel"/>) with AVX2, 16 elements at a time as two vectors of
/// eight int32 (VPMOVSXBD). The Add input rescaling is the high multiply from two VPMULDQ (even and odd lanes) and
/// a right shift rounded on the magnitude, its sign restored by VPSIGND; Mul multiplies with VPMULLD.
/// </summary>
public readonly struct Qs8BinaryAvx2 : IQs8BinaryRow
{
    private const int Width = 16;

    public static int Add(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8BinaryAvx2 needs AVX2");
        var za = Vector256.Create(k.AZeroPoint);
        var zb = Vector256.Create(k.BZeroPoint);
        int i = 0;
        for (; i + Width <= count; i += Width)
        {
            var (a0, a1) = Load(ref a, aBroadcast, i);
            var (b0, b1) = Load(ref b, bBroadcast, i);
            var y0 = Sum(Avx2.Subtract(a0, za), Avx2.Subtract(b0, zb), k);
            var y1 = Sum(Avx2.Subtract(a1, za), Avx2.Subtract(b1, zb), k);
            Qs8RequantizeAvx2.Narrow(y0, y1).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    public static int Mul(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8BinaryAvx2 needs AVX2");
        var za = Vector256.Create(k.AZeroPoint);
        var zb = Vector256.Create(k.BZeroPoint);
        int i = 0;
        for (; i + Width <= count; i += Width)
        {
            var (a0, a1) = Load(ref a, aBroadcast, i);
            var (b0, b1) = Load(ref b, bBroadcast, i);
            var y0 = Qs8RequantizeAvx2.Apply(Avx2.MultiplyLow(Avx2.Subtract(a0, za), Avx2.Subtract(b0, zb)), k.Output, 0);
            var y1 = Qs8RequantizeAvx2.Apply(Avx2.MultiplyLow(Avx2.Subtract(a1, za), Avx2.Subtract(b1, zb)), k.Output, 0);
            Qs8RequantizeAvx2.Narrow(y0, y1).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Sum(Vector256<int> da, Vector256<int> db, Qs8BinaryKernel k)
    {
        var sa = Rescale(Avx2.ShiftLeftLogical(da, Reference.Qs8AddOperation.InputLeftShift), k.AMultiplier, k.ARightShift);
        var sb = Rescale(Avx2.ShiftLeftLogical(db, Reference.Qs8AddOperation.InputLeftShift), k.BMultiplier, k.BRightShift);
        return Qs8RequantizeAvx2.Apply(k.Subtract ? Avx2.Subtract(sa, sb) : Avx2.Add(sa, sb), k.Output, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int>, Vector256<int>) Load(ref sbyte source, bool broadcast, int i)
    {
        var codes = broadcast ? Vector128.Create(source) : Vector128.LoadUnsafe(ref source, (nuint)i);
        return (Avx2.ConvertToVector256Int32(codes), Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(codes, 8)));
    }

    /// <summary>MultiplyByQuantizedMultiplier(x, multiplier, −right) for |x| &lt; 2³¹ − 1 and right ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> Rescale(Vector256<int> x, int multiplier, int right)
    {
        var m = Vector256.Create(multiplier);
        var round = Vector256.Create(1L << 30);
        // Bits 31..62 of x·M + 2³⁰ are the rounded high word; even lanes shift them down, odd lanes up into place.
        var even = Avx2.Add(Avx2.Multiply(x, m), round);
        var odd = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(x.AsInt64(), 32).AsInt32(), m), round);
        var high = Avx2.Blend(Avx2.ShiftRightLogical(even, 31).AsInt32(), Avx2.ShiftLeftLogical(odd, 1).AsInt32(), 0b1010_1010);
        var half = Vector256.Create(right == 0 ? 0 : 1 << (right - 1));
        var magnitude = Vector256.ShiftRightLogical(Avx2.Add(Avx2.Abs(high).AsInt32(), half).AsUInt32(), right).AsInt32();
        return Avx2.Sign(magnitude, high);
    }
}
