using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace EdgeCnn.Runtime.Kernels.Arm;

/// <summary>
/// Int8 depthwise convolution with ARM64 AdvSimd: per tap, SSUBL/SSUBL2 widen 16 input codes to int16 minus the
/// zero point in one step each, and four SMLAL/SMLAL2 multiply them by the packed int16 weights into four int32
/// accumulators; <see cref="Qs8RequantizeAdvSimd"/> makes the bytes. Also the AdvSimdDp kernel: SDOT sums four
/// adjacent products into one lane, but depthwise products of adjacent lanes belong to different channels, so
/// using it would need a tap-interleaved input copy that costs what it saves. Any kernel size, stride, dilation,
/// padding and channel multiplier (<see cref="Qs8DepthwiseWalk"/>).
/// </summary>
public readonly struct Qs8DepthwiseConvAdvSimd : IQs8DepthwiseBlock
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, Qs8DepthwisePacking packing, Span<sbyte> y)
    {
        if (!AdvSimd.Arm64.IsSupported) throw new PlatformNotSupportedException("Qs8DepthwiseConvAdvSimd needs ARM64 AdvSimd");
        Qs8DepthwiseWalk.Run<Qs8DepthwiseConvAdvSimd>(g, x, xZeroPoint, packing, y);
    }

    public static Vector128<sbyte> Block(ref sbyte x, int rows, int columns, nint xRowStep, nint xColumnStep,
        ref short w, nint wRowStep, int channels, ref int bias, int xZeroPoint, Qs8RequantizeLanes lanes, int lane)
    {
        var zeroPoint = Vector128.Create((sbyte)xZeroPoint);
        var a0 = Vector128.LoadUnsafe(ref bias);
        var a1 = Vector128.LoadUnsafe(ref Unsafe.Add(ref bias, 4));
        var a2 = Vector128.LoadUnsafe(ref Unsafe.Add(ref bias, 8));
        var a3 = Vector128.LoadUnsafe(ref Unsafe.Add(ref bias, 12));
        for (int r = 0; r < rows; r++)
        {
            ref sbyte xRow = ref Unsafe.Add(ref x, r * xRowStep);
            ref short wRow = ref Unsafe.Add(ref w, r * wRowStep);
            for (int k = 0; k < columns; k++)
            {
                var codes = Vector128.LoadUnsafe(ref Unsafe.Add(ref xRow, k * xColumnStep));
                var dl = AdvSimd.SubtractWideningLower(codes.GetLower(), zeroPoint.GetLower());
                var dh = AdvSimd.SubtractWideningUpper(codes, zeroPoint);
                ref short wTap = ref Unsafe.Add(ref wRow, (nint)k * channels);
                var wl = Vector128.LoadUnsafe(ref wTap);
                var wh = Vector128.LoadUnsafe(ref Unsafe.Add(ref wTap, 8));
                a0 = AdvSimd.MultiplyWideningLowerAndAdd(a0, dl.GetLower(), wl.GetLower());
                a1 = AdvSimd.MultiplyWideningUpperAndAdd(a1, dl, wl);
                a2 = AdvSimd.MultiplyWideningLowerAndAdd(a2, dh.GetLower(), wh.GetLower());
                a3 = AdvSimd.MultiplyWideningUpperAndAdd(a3, dh, wh);
            }
        }
        return Qs8RequantizeAdvSimd.Narrow(
            Qs8RequantizeAdvSimd.Apply(a0, lanes, lane), Qs8RequantizeAdvSimd.Apply(a1, lanes, lane + 4),
            Qs8RequantizeAdvSimd.Apply(a2, lanes, lane + 8), Qs8RequantizeAdvSimd.Apply(a3, lanes, lane + 12));
    }
}
