using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeCnn.Runtime.Kernels.Portable;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// Int8 NHWC max pooling, 32 channels per 256-bit vector (VPMAXSB), taps reduced in a register; the tail is one
/// overlapping last vector, a 16-channel vector between 16 and 31 channels, scalar below 16.
/// </summary>
public readonly struct Qs8MaxPool2DAvx2 : IQs8MaxWindow
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8MaxPool2DAvx2 needs AVX2");
        Qs8PoolWalk.Max<Qs8MaxPool2DAvx2>(g, x, y);
    }

    public static void Max(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, int channels, ref sbyte y)
    {
        const int lanes = 32;
        if (channels < lanes)
        {
            Qs8MaxPool2DVector128.Max(ref first, rows, columns, rowStep, columnStep, channels, ref y);
            return;
        }
        int c = 0;
        for (; c + lanes <= channels; c += lanes) Block(ref first, rows, columns, rowStep, columnStep, c, ref y);
        if (c < channels) Block(ref first, rows, columns, rowStep, columnStep, channels - lanes, ref y);
    }

    private static void Block(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, int c, ref sbyte y)
    {
        ref sbyte start = ref Unsafe.Add(ref first, c);
        var m = Vector256.LoadUnsafe(ref start);
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref start, r * rowStep);
            for (int k = 0; k < columns; k++) m = Avx2.Max(m, Vector256.LoadUnsafe(ref Unsafe.Add(ref row, k * columnStep)));
        }
        m.StoreUnsafe(ref Unsafe.Add(ref y, c));
    }
}
