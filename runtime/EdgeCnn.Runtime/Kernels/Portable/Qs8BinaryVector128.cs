using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Int8 Add/Sub and Mul rows (<see cref="Qs8BinaryKernel"/>) with cross-platform Vector128 code, 16 elements at a
/// time widened to four int32 vectors. The Add input rescaling multiplies in 64-bit lanes (x · M + 2³⁰) &gt;&gt; 31 and
/// rounds the right shift on the magnitude, which is the same as ties away from zero.
/// </summary>
public readonly struct Qs8BinaryVector128 : IQs8BinaryRow
{
    private const int Width = 16;

    public static int Add(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k)
    {
        var za = Vector128.Create(k.AZeroPoint);
        var zb = Vector128.Create(k.BZeroPoint);
        int i = 0;
        for (; i + Width <= count; i += Width)
        {
            var (a0, a1, a2, a3) = Load(ref a, aBroadcast, i);
            var (b0, b1, b2, b3) = Load(ref b, bBroadcast, i);
            var y0 = Sum(a0 - za, b0 - zb, k);
            var y1 = Sum(a1 - za, b1 - zb, k);
            var y2 = Sum(a2 - za, b2 - zb, k);
            var y3 = Sum(a3 - za, b3 - zb, k);
            Qs8RequantizeVector128.Narrow(y0, y1, y2, y3).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    public static int Mul(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k)
    {
        var za = Vector128.Create(k.AZeroPoint);
        var zb = Vector128.Create(k.BZeroPoint);
        int i = 0;
        for (; i + Width <= count; i += Width)
        {
            var (a0, a1, a2, a3) = Load(ref a, aBroadcast, i);
            var (b0, b1, b2, b3) = Load(ref b, bBroadcast, i);
            var y0 = Qs8RequantizeVector128.Apply((a0 - za) * (b0 - zb), k.Output, 0);
            var y1 = Qs8RequantizeVector128.Apply((a1 - za) * (b1 - zb), k.Output, 0);
            var y2 = Qs8RequantizeVector128.Apply((a2 - za) * (b2 - zb), k.Output, 0);
            var y3 = Qs8RequantizeVector128.Apply((a3 - za) * (b3 - zb), k.Output, 0);
            Qs8RequantizeVector128.Narrow(y0, y1, y2, y3).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Sum(Vector128<int> da, Vector128<int> db, Qs8BinaryKernel k)
    {
        var sa = Rescale(da << Reference.Qs8AddOperation.InputLeftShift, k.AMultiplier, k.ARightShift);
        var sb = Rescale(db << Reference.Qs8AddOperation.InputLeftShift, k.BMultiplier, k.BRightShift);
        return Qs8RequantizeVector128.Apply(k.Subtract ? sa - sb : sa + sb, k.Output, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<int>, Vector128<int>, Vector128<int>, Vector128<int>) Load(ref sbyte source, bool broadcast, int i)
    {
        var codes = broadcast ? Vector128.Create(source) : Vector128.LoadUnsafe(ref source, (nuint)i);
        var (lower, upper) = Vector128.Widen(codes);
        var (v0, v1) = Vector128.Widen(lower);
        var (v2, v3) = Vector128.Widen(upper);
        return (v0, v1, v2, v3);
    }

    /// <summary>MultiplyByQuantizedMultiplier(x, multiplier, −right) for |x| &lt; 2³¹ − 1 and right ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Rescale(Vector128<int> x, int multiplier, int right)
    {
        var (lower, upper) = Vector128.Widen(x);
        var m = Vector128.Create((long)multiplier);
        var round = Vector128.Create(1L << 30);
        var high = Vector128.Narrow(
            Vector128.ShiftRightArithmetic(lower * m + round, 31),
            Vector128.ShiftRightArithmetic(upper * m + round, 31));
        var half = Vector128.Create(right == 0 ? 0u : 1u << (right - 1));
        var magnitude = Vector128.ShiftRightLogical(Vector128.Abs(high).AsUInt32() + half, right).AsInt32();
        return Vector128.ConditionalSelect(Vector128.LessThan(high, Vector128<int>.Zero), -magnitude, magnitude);
    }
}
