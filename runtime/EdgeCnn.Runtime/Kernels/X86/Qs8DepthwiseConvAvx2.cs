using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// Int8 depthwise convolution with AVX2: per tap, VPMOVSXBW widens 16 input codes to int16, VPSUBW takes the zero
/// point, VPMULLW multiplies by the packed int16 weights (exact in 16 bits) and two VPMOVSXWD widen the products
/// into two int32 accumulators of eight channels; <see cref="Qs8RequantizeAvx2"/> makes the bytes. Any kernel size,
/// stride, dilation, padding and channel multiplier (<see cref="Qs8DepthwiseWalk"/>); 3×3 windows with multiplier 1 go to
/// <see cref="Qs8DepthwiseConv3x3Avx2"/>, which uses this block for border pixels.
/// </summary>
public readonly struct Qs8DepthwiseConvAvx2 : IQs8DepthwiseBlock
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, Qs8DepthwisePacking packing, Span<sbyte> y)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8DepthwiseConvAvx2 needs AVX2");
        if (Qs8DepthwiseConv3x3Avx2.Covers(g, packing))
        {
            Qs8DepthwiseConv3x3Avx2.Run(g, x, xZeroPoint, packing, y);
            return;
        }
        Qs8DepthwiseWalk.Run<Qs8DepthwiseConvAvx2>(g, x, xZeroPoint, packing, y);
    }

    public static Vector128<sbyte> Block(ref sbyte x, int rows, int columns, nint xRowStep, nint xColumnStep,
        ref short w, nint wRowStep, int channels, ref int bias, int xZeroPoint, Qs8RequantizeLanes lanes, int lane)
    {
        Accumulate(ref x, rows, columns, xRowStep, xColumnStep, ref w, wRowStep, channels, ref bias, xZeroPoint, out var a0, out var a1);
        return Qs8RequantizeAvx2.Narrow(Qs8RequantizeAvx2.Apply(a0, lanes, lane), Qs8RequantizeAvx2.Apply(a1, lanes, lane + 8));
    }

    /// <summary>The int32 sums of a block's 16 channels (a0: the first eight, a1: the next), bias included, before the
    /// output stage.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(ref sbyte x, int rows, int columns, nint xRowStep, nint xColumnStep,
        ref short w, nint wRowStep, int channels, ref int bias, int xZeroPoint, out Vector256<int> a0, out Vector256<int> a1)
    {
        var zeroPoint = Vector256.Create((short)xZeroPoint);
        a0 = Vector256.LoadUnsafe(ref bias);
        a1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref bias, 8));
        for (int r = 0; r < rows; r++)
        {
            ref sbyte xRow = ref Unsafe.Add(ref x, r * xRowStep);
            ref short wRow = ref Unsafe.Add(ref w, r * wRowStep);
            for (int k = 0; k < columns; k++)
            {
                var codes = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref Unsafe.Add(ref xRow, k * xColumnStep)));
                var products = Avx2.MultiplyLow(Avx2.Subtract(codes, zeroPoint), Vector256.LoadUnsafe(ref Unsafe.Add(ref wRow, (nint)k * channels)));
                a0 = Avx2.Add(a0, Avx2.ConvertToVector256Int32(products.GetLower()));
                a1 = Avx2.Add(a1, Avx2.ConvertToVector256Int32(products.GetUpper()));
            }
        }
    }
}
