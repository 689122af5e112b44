using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Portable;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// Int8 NHWC average pooling with 256-bit vectors: 32 channels at a time summed in two int16 vectors (VPMOVSXBW,
/// VPADDW), widened once into the int32 sums of the scalar rounded division (<see cref="Qs8AveragePoolWalk"/>).
/// Fewer than 32 channels run the Vector128 kernel.
/// </summary>
public readonly struct Qs8AveragePool2DAvx2 : IQs8SumWindow
{
    public static int Width => 32;

    public static void Run(in Spatial2DGeometry g, bool countIncludePad, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8AveragePool2DAvx2 needs AVX2");
        if (g.InChannels < Width) Qs8AveragePool2DVector128.Run(g, countIncludePad, zeroPoint, x, y);
        else Qs8AveragePoolWalk.Run<Qs8AveragePool2DAvx2>(g, countIncludePad, zeroPoint, x, y);
    }

    public static void Sum(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, Span<int> sums)
    {
        Vector256<short> lower = default, upper = default;
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref first, r * rowStep);
            for (int k = 0; k < columns; k++)
            {
                ref sbyte tap = ref Unsafe.Add(ref row, k * columnStep);
                lower = Avx2.Add(lower, Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref tap)));
                upper = Avx2.Add(upper, Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref Unsafe.Add(ref tap, 16))));
            }
        }
        Avx2.ConvertToVector256Int32(lower.GetLower()).CopyTo(sums);
        Avx2.ConvertToVector256Int32(lower.GetUpper()).CopyTo(sums[8..]);
        Avx2.ConvertToVector256Int32(upper.GetLower()).CopyTo(sums[16..]);
        Avx2.ConvertToVector256Int32(upper.GetUpper()).CopyTo(sums[24..]);
    }
}
