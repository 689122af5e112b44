using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeCnn.Runtime.Kernels.X86;

/// <summary>
/// Int8 3×3 depthwise convolution (channel multiplier 1, at least 16 channels) with AVX2, the MobileNet case. Its
/// walk keeps each pixel's channel blocks in one call; pixels whose whole window lies inside the input run an
/// unrolled block, the border pixels run <see cref="Qs8DepthwiseConvAvx2.Block"/>. The unrolled block takes the taps
/// in pairs: the two taps' zero-point-offset codes and their weights are interleaved as int16 (VPUNPCKLWD/HWD) and
/// one VPMADDWD multiplies and adds both taps into int32 (|x − zp| ≤ 255, |w| ≤ 128: each pair sums below 2^16,
/// exact), so a pair costs two multiply-adds where one tap alone cost a multiply and two widenings. The interleave
/// works within 128-bit halves, so the accumulators hold channels [0..3, 8..11] and [4..7, 12..15]; one VPERM2I128
/// pair restores the order before the bias and <see cref="Qs8RequantizeAvx2"/>. Bit-exact with the reference (the
/// integer sum is the same, only its order differs).
/// </summary>
public static class Qs8DepthwiseConv3x3Avx2
{
    private const int Lanes = 16;

    /// <summary>Whether this kernel covers the convolution (else <see cref="Qs8DepthwiseConvAvx2"/>'s general walk).</summary>
    public static bool Covers(in Spatial2DGeometry g, Qs8DepthwisePacking packing) =>
        g.KernelHeight == 3 && g.KernelWidth == 3 && packing.Multiplier == 1 && g.InChannels >= Lanes;

    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, Qs8DepthwisePacking packing, Span<sbyte> y)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("Qs8DepthwiseConv3x3Avx2 needs AVX2");
        if (!Covers(g, packing))
            throw new ArgumentException($"Qs8DepthwiseConv3x3Avx2 runs 3x3 windows with multiplier 1 on 16+ channels, not {g.KernelHeight}x{g.KernelWidth}, multiplier {packing.Multiplier}, {g.InChannels} channels", nameof(g));
        Qs8PoolWalk.CheckLengths(g, x.Length, y.Length);
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        ref short w0 = ref MemoryMarshal.GetArrayDataReference(packing.Weights);
        ref int b0 = ref MemoryMarshal.GetArrayDataReference(packing.Bias);
        int c = g.InChannels;
        nint xRowStep = (nint)g.DilationH * g.InWidth * c, xColumnStep = (nint)g.DilationW * c, wRowStep = 3 * c;
        var lanes = packing.Lanes;

        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            int ih = oh * g.StrideH - g.PadTop + khBegin * g.DilationH;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (kwBegin, kwEnd) = g.ValidColumns(ow);
                int iw = ow * g.StrideW - g.PadLeft + kwBegin * g.DilationW;
                int rows = kwEnd > kwBegin ? khEnd - khBegin : 0, columns = kwEnd - kwBegin;
                ref sbyte pixel = ref Unsafe.Add(ref y0, ((nint)(n * g.OutHeight + oh) * g.OutWidth + ow) * c);
                // A window entirely on padding reads nothing; its first tap may lie outside the input, so no reference to it is formed.
                ref sbyte first = ref rows == 0 ? ref x0 : ref Unsafe.Add(ref x0, ((nint)(n * g.InHeight + ih) * g.InWidth + iw) * c);
                bool full = rows == 3 && columns == 3;
                ref short w = ref Unsafe.Add(ref w0, (nint)(rows == 0 ? 0 : khBegin * 3 + kwBegin) * c);
                for (int k = 0; ; k += Lanes)
                {
                    if (k + Lanes > c) k = c - Lanes;
                    var v = full
                        ? Full(ref Unsafe.Add(ref first, k), xRowStep, xColumnStep, ref Unsafe.Add(ref w, k), c, ref Unsafe.Add(ref b0, k), xZeroPoint, lanes, k)
                        : Qs8DepthwiseConvAvx2.Block(ref Unsafe.Add(ref first, k), rows, columns, xRowStep, xColumnStep,
                            ref Unsafe.Add(ref w, k), wRowStep, c, ref Unsafe.Add(ref b0, k), xZeroPoint, lanes, k);
                    v.StoreUnsafe(ref Unsafe.Add(ref pixel, k));
                    if (k + Lanes == c) break;
                }
            }
        }
    }

    /// <summary>16 channels of one pixel whose nine taps all lie inside the input; weights at w, tap t at w[t·c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> Full(ref sbyte x, nint xRowStep, nint xColumnStep, ref short w, int c, ref int bias,
        int xZeroPoint, Qs8RequantizeLanes lanes, int channel)
    {
        var zeroPoint = Vector256.Create((short)xZeroPoint);
        var low = Vector256<int>.Zero;
        var high = Vector256<int>.Zero;
        Pair(ref x, 0, 1, ref w, c, zeroPoint, xRowStep, xColumnStep, ref low, ref high);
        Pair(ref x, 2, 3, ref w, c, zeroPoint, xRowStep, xColumnStep, ref low, ref high);
        Pair(ref x, 5, 6, ref w, c, zeroPoint, xRowStep, xColumnStep, ref low, ref high);
        Pair(ref x, 7, 8, ref w, c, zeroPoint, xRowStep, xColumnStep, ref low, ref high);
        // Tap 4 (the centre) pairs with a zero tap: its partner's code and weight are 0.
        var centre = Tap(ref x, 4, zeroPoint, xRowStep, xColumnStep);
        var centreWeight = Vector256.LoadUnsafe(ref Unsafe.Add(ref w, 4 * (nint)c));
        low = Avx2.Add(low, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(centre, Vector256<short>.Zero), Avx2.UnpackLow(centreWeight, Vector256<short>.Zero)));
        high = Avx2.Add(high, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(centre, Vector256<short>.Zero), Avx2.UnpackHigh(centreWeight, Vector256<short>.Zero)));
        var a0 = Avx2.Add(Avx2.Permute2x128(low, high, 0x20), Vector256.LoadUnsafe(ref bias));
        var a1 = Avx2.Add(Avx2.Permute2x128(low, high, 0x31), Vector256.LoadUnsafe(ref Unsafe.Add(ref bias, 8)));
        return Qs8RequantizeAvx2.Requantize16(a0, a1, lanes, channel);
    }

    /// <summary>Adds taps a and b as interleaved pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair(ref sbyte x, int a, int b, ref short w, int c, Vector256<short> zeroPoint, nint xRowStep, nint xColumnStep,
        ref Vector256<int> low, ref Vector256<int> high)
    {
        var xa = Tap(ref x, a, zeroPoint, xRowStep, xColumnStep);
        var xb = Tap(ref x, b, zeroPoint, xRowStep, xColumnStep);
        var wa = Vector256.LoadUnsafe(ref Unsafe.Add(ref w, a * (nint)c));
        var wb = Vector256.LoadUnsafe(ref Unsafe.Add(ref w, b * (nint)c));
        low = Avx2.Add(low, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(xa, xb), Avx2.UnpackLow(wa, wb)));
        high = Avx2.Add(high, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(xa, xb), Avx2.UnpackHigh(wa, wb)));
    }

    /// <summary>Tap t's 16 codes minus the zero point, as int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Tap(ref sbyte x, int t, Vector256<short> zeroPoint, nint xRowStep, nint xColumnStep)
    {
        nint offset = (t / 3) * xRowStep + (t % 3) * xColumnStep;
        return Avx2.Subtract(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref Unsafe.Add(ref x, offset))), zeroPoint);
    }
}
