using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Int8 NHWC average pooling, 16 channels at a time: the window's codes summed in two int16 vectors, widened once
/// into the int32 sums the scalar rounded division reads (<see cref="Qs8AveragePoolWalk"/>). ARM64 runs this kernel
/// for its AdvSimd paths (the same SXTL/ADD instructions).
/// </summary>
public readonly struct Qs8AveragePool2DVector128 : IQs8SumWindow
{
    public static int Width => 16;

    public static void Run(in Spatial2DGeometry g, bool countIncludePad, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y) =>
        Qs8AveragePoolWalk.Run<Qs8AveragePool2DVector128>(g, countIncludePad, zeroPoint, x, y);

    public static void Sum(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, Span<int> sums)
    {
        Vector128<short> lower = default, upper = default;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref first, r * rowStep);
            for (int k = 0; k < columns; k++)
            {
                var (l, u) = Vector128.Widen(Vector128.LoadUnsafe(ref Unsafe.Add(ref row, k * columnStep)));
                lower += l;
                upper += u;
            }
        }
        var (s0, s1) = Vector128.Widen(lower);
        var (s2, s3) = Vector128.Widen(upper);
        s0.CopyTo(sums);
        s1.CopyTo(sums[4..]);
        s2.CopyTo(sums[8..]);
        s3.CopyTo(sums[12..]);
    }
}
