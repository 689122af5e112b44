using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeCnn.Runtime.Kernels.Arm;

/// <summary>
/// Int8 Add/Sub and Mul rows (<see cref="Qs8BinaryKernel"/>) with ARM64 AdvSimd, 16 elements at a time. Add: SSUBL
/// takes the zero points while widening to int16, SXTL and SHL make the 2²⁰-scaled int32 offsets, SQRDMULH is the rescaling's
/// high multiply (no saturation can occur on these inputs) and the right shift is rounded on the magnitude. Mul:
/// SSUBL then SMULL/SMULL2 give the exact int32 products. The output stage is <see cref="Qs8RequantizeAdvSimd"/>.
/// </summary>
public readonly struct Qs8BinaryAdvSimd : IQs8BinaryRow
{
    private const int Width = 16;

    public static int Add(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k)
    {
        if (!AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException("Qs8BinaryAdvSimd needs ARM64 AdvSimd");
        var za = Vector128.Create((sbyte)k.AZeroPoint);
        var zb = Vector128.Create((sbyte)k.BZeroPoint);
        int i = 0;
        for (; i + Width <= count; i += Width)
        {
            var (al, ah) = Offsets(ref a, aBroadcast, i, za);
            var (bl, bh) = Offsets(ref b, bBroadcast, i, zb);
            var y0 = Sum(AdvSimd.SignExtendWideningLower(al.GetLower()), AdvSimd.SignExtendWideningLower(bl.GetLower()), k);
            var y1 = Sum(AdvSimd.SignExtendWideningUpper(al), AdvSimd.SignExtendWideningUpper(bl), k);
            var y2 = Sum(AdvSimd.SignExtendWideningLower(ah.GetLower()), AdvSimd.SignExtendWideningLower(bh.GetLower()), k);
            var y3 = Sum(AdvSimd.SignExtendWideningUpper(ah), AdvSimd.SignExtendWideningUpper(bh), k);
            Qs8RequantizeAdvSimd.Narrow(y0, y1, y2, y3).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    public static int Mul(ref sbyte a, bool aBroadcast, ref sbyte b, bool bBroadcast, ref sbyte y, int count, Qs8BinaryKernel k)
    {
        if (!AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException("Qs8BinaryAdvSimd needs ARM64 AdvSimd");
        var za = Vector128.Create((sbyte)k.AZeroPoint);
        var zb = Vector128.Create((sbyte)k.BZeroPoint);
        int i = 0;
        for (; i + Width <= count; i += Width)
        {
            var (al, ah) = Offsets(ref a, aBroadcast, i, za);
            var (bl, bh) = Offsets(ref b, bBroadcast, i, zb);
            var y0 = Qs8RequantizeAdvSimd.Apply(AdvSimd.MultiplyWideningLower(al.GetLower(), bl.GetLower()), k.Output, 0);
            var y1 = Qs8RequantizeAdvSimd.Apply(AdvSimd.MultiplyWideningUpper(al, bl), k.Output, 0);
            var y2 = Qs8RequantizeAdvSimd.Apply(AdvSimd.MultiplyWideningLower(ah.GetLower(), bh.GetLower()), k.Output, 0);
            var y3 = Qs8RequantizeAdvSimd.Apply(AdvSimd.MultiplyWideningUpper(ah, bh), k.Output, 0);
            Qs8RequantizeAdvSimd.Narrow(y0, y1, y2, y3).StoreUnsafe(ref y, (nuint)i);
        }
        return i;
    }

    /// <summary>x − zp for 16 codes as two int16 vectors (SSUBL, SSUBL2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<short>, Vector128<short>) Offsets(ref sbyte source, bool broadcast, int i, Vector128<sbyte> zeroPoint)
    {
        var codes = broadcast ? Vector128.Create(source) : Vector128.LoadUnsafe(ref source, (nuint)i);
        return (AdvSimd.SubtractWideningLower(codes.GetLower(), zeroPoint.GetLower()), AdvSimd.SubtractWideningUpper(codes, zeroPoint));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Sum(Vector128<int> da, Vector128<int> db, Qs8BinaryKernel k)
    {
        var sa = Rescale(da << Reference.Qs8AddOperation.InputLeftShift, k.AMultiplier, k.ARightShift);
        var sb = Rescale(db << Reference.Qs8AddOperation.InputLeftShift, k.BMultiplier, k.BRightShift);
        return Qs8RequantizeAdvSimd.Apply(k.Subtract ? AdvSimd.Subtract(sa, sb) : AdvSimd.Add(sa, sb), k.Output, 0);
    }

    /// <summary>MultiplyByQuantizedMultiplier(x, multiplier, −right) for |x| &lt; 2³¹ − 1 and right ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Rescale(Vector128<int> x, int multiplier, int right)
    {
        var high = AdvSimd.MultiplyRoundedDoublingSaturateHigh(x, Vector128.Create(multiplier));
        var half = Vector128.Create(right == 0 ? 0 : 1 << (right - 1));
        var magnitude = AdvSimd.ShiftLogical(AdvSimd.Add(AdvSimd.Abs(high).AsInt32(), half), Vector128.Create(-right)).AsInt32();
        return Vector128.ConditionalSelect(AdvSimd.CompareLessThan(high, Vector128<int>.Zero), -magnitude, magnitude);
    }
}
