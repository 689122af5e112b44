using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Int8 NHWC max pooling, 16 channels per Vector128 with the window's taps reduced in a register; the channel
/// tail is one overlapping last vector (it rewrites a few outputs with the same values), scalar below 16
/// channels. On ARM64 this is already the AdvSimd code (SMAX), so the AdvSimd paths use it too.
/// </summary>
public readonly struct Qs8MaxPool2DVector128 : IQs8MaxWindow
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y) => Qs8PoolWalk.Max<Qs8MaxPool2DVector128>(g, x, y);

    public static void Max(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, int channels, ref sbyte y)
    {
        const int lanes = 16;
        if (channels < lanes)
        {
            Qs8PoolWalk.MaxScalar(ref first, rows, columns, rowStep, columnStep, 0, channels, ref y);
            return;
        }
        int c = 0;
        for (; c + lanes <= channels; c += lanes) Block(ref first, rows, columns, rowStep, columnStep, c, ref y);
        if (c < channels) Block(ref first, rows, columns, rowStep, columnStep, channels - lanes, ref y);
    }

    /// <summary>Also the 16-channel tail of the 256-bit kernel.</summary>
    internal static void Block(ref sbyte first, int rows, int columns, nint rowStep, nint columnStep, int c, ref sbyte y)
    {
        ref sbyte start = ref Unsafe.Add(ref first, c);
        var m = Vector128.LoadUnsafe(ref start);
        for (int r = 0; r < rows; r++)
        {
            ref sbyte row = ref Unsafe.Add(ref start, r * rowStep);
            for (int k = 0; k < columns; k++) m = Vector128.Max(m, Vector128.LoadUnsafe(ref Unsafe.Add(ref row, k * columnStep)));
        }
        m.StoreUnsafe(ref Unsafe.Add(ref y, c));
    }
}
