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

    /// <summary>Ints per block of <see cref="Qs8DepthwisePacking.Avx2FullWindows"/>: five tap pairs' interleaved
    /// weights (2 × 8 int32 each), the bias (16), the output stage in the unpacked lane order and again in channel
    /// order for border pixels (<see cref="Qs8GemmOutputStageAvx2.BlockInts"/> each).</summary>
    public const int FullWindowBlockInts = 5 * 16 + 16 + 2 * Qs8GemmOutputStageAvx2.BlockInts;

    private const int BiasAt = 80, StageAt = 96, BorderStageAt = StageAt + Qs8GemmOutputStageAvx2.BlockInts;

    /// <summary>The tap pairs of a full window: the centre tap (4) comes last, paired with the input zero point.</summary>
    private static ReadOnlySpan<byte> PairTaps => [0, 1, 2, 3, 5, 6, 7, 8];

    /// <summary>
    /// The full-window constants, per 16-channel block in the order the walk visits them (block i starts at
    /// min(16·i, C − 16)), in the lane order of two int16 unpacks (channels 0–3, 8–11, then 4–7, 12–15): per tap pair
    /// (a, b) each lane holds w_a | w_b &lt;&lt; 16, so one VPMADDWD takes both taps without interleaving the weights at
    /// run time; the fifth pair is the centre tap with −Σ_t w_t, multiplied by the input zero point: Σ_t x_t·w_t −
    /// zp·Σ_t w_t = Σ_t (x_t − zp)·w_t, so the taps need no zero-point subtraction (|zp·Σ w| ≤ 128·1152 fits
    /// int32). Empty unless the convolution is one this kernel covers (<see cref="Covers"/>) and the packed output
    /// stage applies (<see cref="Qs8GemmOutputStageAvx2.Applies"/>).
    /// </summary>
    public static int[] PackFullWindows(int taps, int multiplier, int channels, short[] weights, int[] bias, Qs8RequantizeLanes lanes)
    {
        if (taps != 9 || multiplier != 1 || channels < Lanes || !Qs8GemmOutputStageAvx2.Applies(lanes)) return [];
        int blocks = (channels + Lanes - 1) / Lanes;
        var table = new int[blocks * FullWindowBlockInts];
        Span<int> order = stackalloc int[Lanes];
        for (int i = 0; i < blocks; i++)
        {
            int start = Math.Min(i * Lanes, channels - Lanes);
            for (int j = 0; j < Lanes; j++) order[j] = start + UnpackedLane(j);
            var block = table.AsSpan(i * FullWindowBlockInts, FullWindowBlockInts);
            for (int j = 0; j < Lanes; j++)
            {
                int c = order[j];
                for (int p = 0; p < 4; p++)
                    block[p * Lanes + j] = (ushort)weights[PairTaps[2 * p] * channels + c] | (weights[PairTaps[2 * p + 1] * channels + c] << 16);
                int sum = 0;
                for (int t = 0; t < 9; t++) sum += weights[t * channels + c];
                block[4 * Lanes + j] = (ushort)weights[4 * channels + c] | (-sum << 16);
                block[BiasAt + j] = bias[c];
            }
            Qs8GemmOutputStageAvx2.PackBlock(lanes, order, block.Slice(StageAt, Qs8GemmOutputStageAvx2.BlockInts));
            for (int j = 0; j < Lanes; j++) order[j] = start + j;
            Qs8GemmOutputStageAvx2.PackBlock(lanes, order, block.Slice(BorderStageAt, Qs8GemmOutputStageAvx2.BlockInts));
        }
        return table;
    }

    /// <summary>The channel (within a block) in lane j of the unpacked order: 0–3, 8–11, 4–7, 12–15.</summary>
    private static int UnpackedLane(int j) => (j & 3) + ((j >> 2) & 1) * 8 + (j >> 3) * 4;

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
        var table = packing.Avx2FullWindows;
        bool packed = table.Length > 0;
        ref int blocks = ref MemoryMarshal.GetArrayDataReference(table);
        var inputZeroPoint = Vector256.Create((short)xZeroPoint);
        var outputZeroPoint = Vector256.Create((short)lanes.ZeroPoint);
        var min = Vector256.Create((short)lanes.Min);
        var max = Vector256.Create((short)lanes.Max);

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
                for (int k = 0, i = 0; ; k += Lanes, i++)
                {
                    if (k + Lanes > c) k = c - Lanes;
                    var v = full && packed
                        ? FullPacked(ref Unsafe.Add(ref first, k), xRowStep, xColumnStep, ref Unsafe.Add(ref blocks, i * FullWindowBlockInts),
                            inputZeroPoint, outputZeroPoint, min, max)
                        : packed
                        ? BorderPacked(ref Unsafe.Add(ref first, k), rows, columns, xRowStep, xColumnStep, ref Unsafe.Add(ref w, k), wRowStep, c,
                            ref Unsafe.Add(ref b0, k), xZeroPoint, ref Unsafe.Add(ref blocks, i * FullWindowBlockInts + BorderStageAt), outputZeroPoint, min, max)
                        : full
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

    /// <summary>16 channels of one pixel whose nine taps all lie inside the input, with a block of
    /// <see cref="PackFullWindows"/>: per tap pair two unpacks, two VPMADDWD and two adds; no zero-point subtraction,
    /// no weight interleave, no lane permutes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> FullPacked(ref sbyte x, nint xRowStep, nint xColumnStep, ref int block,
        Vector256<short> inputZeroPoint, Vector256<short> outputZeroPoint, Vector256<short> min, Vector256<short> max)
    {
        var low = Vector256.LoadUnsafe(ref block, BiasAt);
        var high = Vector256.LoadUnsafe(ref block, BiasAt + 8);
        PackedPair(Codes(ref x, 0, xRowStep, xColumnStep), Codes(ref x, 1, xRowStep, xColumnStep), ref block, 0, ref low, ref high);
        PackedPair(Codes(ref x, 2, xRowStep, xColumnStep), Codes(ref x, 3, xRowStep, xColumnStep), ref block, 1, ref low, ref high);
        PackedPair(Codes(ref x, 5, xRowStep, xColumnStep), Codes(ref x, 6, xRowStep, xColumnStep), ref block, 2, ref low, ref high);
        PackedPair(Codes(ref x, 7, xRowStep, xColumnStep), Codes(ref x, 8, xRowStep, xColumnStep), ref block, 3, ref low, ref high);
        PackedPair(Codes(ref x, 4, xRowStep, xColumnStep), inputZeroPoint, ref block, 4, ref low, ref high);
        return Qs8GemmOutputStageAvx2.Requantize16Unpacked(low, high, ref Unsafe.Add(ref block, StageAt), outputZeroPoint, min, max);
    }

    /// <summary>A border pixel's block: the general accumulation over the taps inside the input, then the packed
    /// output stage in channel order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> BorderPacked(ref sbyte x, int rows, int columns, nint xRowStep, nint xColumnStep, ref short w,
        nint wRowStep, int channels, ref int bias, int xZeroPoint, ref int stage, Vector256<short> outputZeroPoint, Vector256<short> min, Vector256<short> max)
    {
        Qs8DepthwiseConvAvx2.Accumulate(ref x, rows, columns, xRowStep, xColumnStep, ref w, wRowStep, channels, ref bias, xZeroPoint, out var a0, out var a1);
        return Qs8GemmOutputStageAvx2.Requantize16(a0, a1, ref stage, outputZeroPoint, min, max);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackedPair(Vector256<short> a, Vector256<short> b, ref int block, int pair, ref Vector256<int> low, ref Vector256<int> high)
    {
        low = Avx2.Add(low, Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(a, b), Vector256.LoadUnsafe(ref block, (nuint)(pair * Lanes)).AsInt16()));
        high = Avx2.Add(high, Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(a, b), Vector256.LoadUnsafe(ref block, (nuint)(pair * Lanes + 8)).AsInt16()));
    }

    /// <summary>Tap t's 16 codes sign-extended to int16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Codes(ref sbyte x, int t, nint xRowStep, nint xColumnStep) =>
        Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref Unsafe.Add(ref x, (t / 3) * xRowStep + (t % 3) * xColumnStep)));

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
