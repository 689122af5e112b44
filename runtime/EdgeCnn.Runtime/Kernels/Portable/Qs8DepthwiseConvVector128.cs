using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Int8 depthwise convolution with cross-platform Vector128 code: per tap, 16 input codes are widened to int16,
/// the zero point subtracted, multiplied by the packed int16 weights (exact in 16 bits) and the products widened
/// into four int32 accumulators; <see cref="Qs8RequantizeVector128"/> makes the bytes. Any kernel size, stride,
/// dilation, padding and channel multiplier (<see cref="Qs8DepthwiseWalk"/>).
/// </summary>
public readonly struct Qs8DepthwiseConvVector128 : IQs8DepthwiseBlock
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, Qs8DepthwisePacking packing, Span<sbyte> y) =>
        Qs8DepthwiseWalk.Run<Qs8DepthwiseConvVector128>(g, x, xZeroPoint, packing, y);

    public static Vector128<sbyte> Block(ref sbyte x, int rows, int columns, nint xRowStep, nint xColumnStep,
        ref short w, nint wRowStep, int channels, ref int bias, int xZeroPoint, Qs8RequantizeLanes lanes, int lane)
    {
        var zeroPoint = Vector128.Create((short)xZeroPoint);
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
                var (xl, xh) = Vector128.Widen(Vector128.LoadUnsafe(ref Unsafe.Add(ref xRow, k * xColumnStep)));
                ref short wTap = ref Unsafe.Add(ref wRow, (nint)k * channels);
                var pl = (xl - zeroPoint) * Vector128.LoadUnsafe(ref wTap);
                var ph = (xh - zeroPoint) * Vector128.LoadUnsafe(ref Unsafe.Add(ref wTap, 8));
                var (p0, p1) = Vector128.Widen(pl);
                var (p2, p3) = Vector128.Widen(ph);
                a0 += p0;
                a1 += p1;
                a2 += p2;
                a3 += p3;
            }
        }
        return Qs8RequantizeVector128.Narrow(
            Qs8RequantizeVector128.Apply(a0, lanes, lane), Qs8RequantizeVector128.Apply(a1, lanes, lane + 4),
            Qs8RequantizeVector128.Apply(a2, lanes, lane + 8), Qs8RequantizeVector128.Apply(a3, lanes, lane + 12));
    }
}
