using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeCnn.Runtime.Kernels;

/// <summary>
/// One ISA's depthwise microkernel: 16 channels of one output pixel for one multiplier index. The window's valid
/// taps are a rows×columns rectangle: input at <c>x</c> (channel c of the first valid tap) with the given steps,
/// packed int16 weights at <c>w</c> (same tap, same channel; a column step of <c>channels</c>), 16 int32 biases at
/// <c>bias</c>, requantization lanes from <c>lane</c>. Returns the 16 int8 outputs in channel order.
/// </summary>
internal interface IQs8DepthwiseBlock
{
    static abstract Vector128<sbyte> Block(ref sbyte x, int rows, int columns, nint xRowStep, nint xColumnStep,
        ref short w, nint wRowStep, int channels, ref int bias, int xZeroPoint, Qs8RequantizeLanes lanes, int lane);
}

/// <summary>
/// The walk every depthwise SIMD kernel shares (the definition is <see cref="Reference.Qs8Conv2DReference"/>):
/// output pixels, the border clipping of the window (padded taps contribute nothing, as the zero point they stand
/// for), the multiplier index, and channel blocks of 16 with one overlapping last block (it recomputes a few
/// channels and writes the same bytes). Below 16 channels every channel is scalar. With a channel multiplier the
/// 16 outputs of a block are M bytes apart and are stored one by one.
/// </summary>
internal static class Qs8DepthwiseWalk
{
    public const int Lanes = 16;

    public static void Run<TBlock>(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, Qs8DepthwisePacking packing, Span<sbyte> y)
        where TBlock : IQs8DepthwiseBlock
    {
        Qs8PoolWalk.CheckLengths(g, x.Length, y.Length);
        ref sbyte x0 = ref MemoryMarshal.GetReference(x);
        ref sbyte y0 = ref MemoryMarshal.GetReference(y);
        ref short w0 = ref MemoryMarshal.GetArrayDataReference(packing.Weights);
        ref int b0 = ref MemoryMarshal.GetArrayDataReference(packing.Bias);
        int cin = g.InChannels, cout = g.OutChannels, m = packing.Multiplier, taps = packing.Taps;
        nint xRowStep = (nint)g.DilationH * g.InWidth * cin, xColumnStep = (nint)g.DilationW * cin;
        nint wRowStep = (nint)g.KernelWidth * cin;
        Span<sbyte> scattered = stackalloc sbyte[Lanes];

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
                // A window entirely on padding reads nothing; its first tap may lie outside the input, so no reference to it is formed.
                ref sbyte first = ref rows == 0 ? ref x0 : ref Unsafe.Add(ref x0, ((nint)(n * g.InHeight + ih) * g.InWidth + iw) * cin);
                int firstTap = rows == 0 ? 0 : khBegin * g.KernelWidth + kwBegin;
                ref sbyte pixel = ref Unsafe.Add(ref y0, ((nint)(n * g.OutHeight + oh) * g.OutWidth + ow) * cout);
                for (int j = 0; j < m; j++)
                {
                    ref short w = ref Unsafe.Add(ref w0, ((nint)j * taps + firstTap) * cin);
                    ref int bias = ref Unsafe.Add(ref b0, (nint)j * cin);
                    if (cin < Lanes)
                    {
                        Scalar(ref first, rows, columns, xRowStep, xColumnStep, ref w, wRowStep, cin, ref bias, xZeroPoint, packing, j, ref pixel);
                        continue;
                    }
                    for (int c = 0; ; c += Lanes)
                    {
                        if (c + Lanes > cin) c = cin - Lanes;
                        var v = TBlock.Block(ref Unsafe.Add(ref first, c), rows, columns, xRowStep, xColumnStep,
                            ref Unsafe.Add(ref w, c), wRowStep, cin, ref Unsafe.Add(ref bias, c), xZeroPoint, packing.Lanes, j * cin + c);
                        if (m == 1) v.StoreUnsafe(ref Unsafe.Add(ref pixel, c));
                        else
                        {
                            v.CopyTo(scattered);
                            for (int i = 0; i < Lanes; i++) Unsafe.Add(ref pixel, (nint)(c + i) * m + j) = scattered[i];
                        }
                        if (c + Lanes == cin) break;
                    }
                }
            }
        }
    }

    private static void Scalar(ref sbyte first, int rows, int columns, nint xRowStep, nint xColumnStep, ref short w, nint wRowStep,
        int cin, ref int bias, int xZeroPoint, Qs8DepthwisePacking packing, int j, ref sbyte pixel)
    {
        int m = packing.Multiplier;
        for (int c = 0; c < cin; c++)
        {
            int acc = Unsafe.Add(ref bias, c);
            for (int r = 0; r < rows; r++)
            for (int k = 0; k < columns; k++)
                acc += (Unsafe.Add(ref first, r * xRowStep + k * xColumnStep + c) - xZeroPoint) * Unsafe.Add(ref w, r * wRowStep + (nint)k * cin + c);
            Unsafe.Add(ref pixel, (nint)c * m + j) = packing.Requantization.Apply(acc, j * cin + c);
        }
    }
}
