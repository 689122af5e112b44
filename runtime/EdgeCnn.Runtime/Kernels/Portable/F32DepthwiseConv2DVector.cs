using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Depthwise NHWC convolution (one group per input channel, Cout = Cin·multiplier). Weights are repacked
/// once to [KH,KW,Cout] so that, for one output pixel, a vector of output channels accumulates over the
/// taps from adjacent input and weight channels. Four vectors of channels accumulate in registers
/// at a time; the channel tail is an overlapping last vector (it rewrites a few outputs with the same values),
/// scalar only when there are fewer channels than lanes or a channel multiplier.
/// </summary>
public static class F32DepthwiseConv2DVector
{
    /// <summary>W[Cout,KH,KW,1] → [KH,KW,Cout].</summary>
    public static float[] PackWeights(in Spatial2DGeometry g, ReadOnlySpan<float> w) =>
        WeightPacking.OutputChannelsLast(w, g.OutChannels, g.KernelHeight * g.KernelWidth);

    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> bias,
        ActivationKind activation, float alpha, float beta, Span<float> y)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(packedWeights);
        ref float b0 = ref MemoryMarshal.GetReference(bias);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int cin = g.InChannels, cout = g.OutChannels, multiplier = cout / cin;
        bool hasBias = !bias.IsEmpty;
        int lanes = Vector<float>.Count;
        bool vectorize = multiplier == 1 && cout >= lanes;

        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (kwBegin, kwEnd) = g.ValidColumns(ow);
                int iw0 = ow * g.StrideW - g.PadLeft;
                int yBase = ((n * g.OutHeight + oh) * g.OutWidth + ow) * cout;
                if (vectorize)
                {
                    int c = 0;
                    for (; c + 4 * lanes <= cout; c += 4 * lanes)
                        Block<FourVectors>(g, ref x0, ref w0, ref b0, hasBias, ref y0, n, ih0, iw0, khBegin, khEnd, kwBegin, kwEnd, yBase, c);
                    switch ((cout - c) / lanes)
                    {
                        case 3:
                            Block<ThreeVectors>(g, ref x0, ref w0, ref b0, hasBias, ref y0, n, ih0, iw0, khBegin, khEnd, kwBegin, kwEnd, yBase, c);
                            break;
                        case 2:
                            Block<TwoVectors>(g, ref x0, ref w0, ref b0, hasBias, ref y0, n, ih0, iw0, khBegin, khEnd, kwBegin, kwEnd, yBase, c);
                            break;
                        case 1:
                            Block<OneVector>(g, ref x0, ref w0, ref b0, hasBias, ref y0, n, ih0, iw0, khBegin, khEnd, kwBegin, kwEnd, yBase, c);
                            break;
                    }
                    c = cout - (cout - c) % lanes;
                    if (c < cout)
                        Block<OneVector>(g, ref x0, ref w0, ref b0, hasBias, ref y0, n, ih0, iw0, khBegin, khEnd, kwBegin, kwEnd, yBase, cout - lanes);
                }
                else
                {
                    for (int oc = 0; oc < cout; oc++)
                    {
                        int c = oc / multiplier;
                        float acc = hasBias ? Unsafe.Add(ref b0, oc) : 0f;
                        for (int kh = khBegin; kh < khEnd; kh++)
                        {
                            int xRow = (n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth;
                            int wRow = kh * g.KernelWidth;
                            for (int kw = kwBegin; kw < kwEnd; kw++)
                                acc += Unsafe.Add(ref x0, (xRow + iw0 + kw * g.DilationW) * cin + c) * Unsafe.Add(ref w0, (wRow + kw) * cout + oc);
                        }
                        Unsafe.Add(ref y0, yBase + oc) = acc;
                    }
                }
                F32Activation.Apply(activation, alpha, beta, y.Slice(yBase, cout));
            }
        }
    }

    /// <summary>Accumulates TBlock.Count vectors of channels starting at c over the valid taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TBlock>(in Spatial2DGeometry g, ref float x0, ref float w0, ref float b0, bool hasBias, ref float y0,
        int n, int ih0, int iw0, int khBegin, int khEnd, int kwBegin, int kwEnd, int yBase, int c) where TBlock : struct, IVectorBlock
    {
        int lanes = Vector<float>.Count, cout = g.OutChannels;
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        if (hasBias)
        {
            a0 = Vector.LoadUnsafe(ref b0, (nuint)c);
            if (TBlock.Count > 1) a1 = Vector.LoadUnsafe(ref b0, (nuint)(c + lanes));
            if (TBlock.Count > 2) a2 = Vector.LoadUnsafe(ref b0, (nuint)(c + 2 * lanes));
            if (TBlock.Count > 3) a3 = Vector.LoadUnsafe(ref b0, (nuint)(c + 3 * lanes));
        }
        for (int kh = khBegin; kh < khEnd; kh++)
        {
            int xRow = (n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth;
            for (int kw = kwBegin; kw < kwEnd; kw++)
            {
                // Multiplier 1: input and output channels coincide, so one offset serves X and the packed W.
                ref float xs = ref Unsafe.Add(ref x0, (xRow + iw0 + kw * g.DilationW) * cout + c);
                ref float ws = ref Unsafe.Add(ref w0, (kh * g.KernelWidth + kw) * cout + c);
                a0 += Vector.LoadUnsafe(ref xs) * Vector.LoadUnsafe(ref ws);
                if (TBlock.Count > 1) a1 += Vector.LoadUnsafe(ref xs, (nuint)lanes) * Vector.LoadUnsafe(ref ws, (nuint)lanes);
                if (TBlock.Count > 2) a2 += Vector.LoadUnsafe(ref xs, (nuint)(2 * lanes)) * Vector.LoadUnsafe(ref ws, (nuint)(2 * lanes));
                if (TBlock.Count > 3) a3 += Vector.LoadUnsafe(ref xs, (nuint)(3 * lanes)) * Vector.LoadUnsafe(ref ws, (nuint)(3 * lanes));
            }
        }
        ref float ys = ref Unsafe.Add(ref y0, yBase + c);
        a0.StoreUnsafe(ref ys);
        if (TBlock.Count > 1) a1.StoreUnsafe(ref ys, (nuint)lanes);
        if (TBlock.Count > 2) a2.StoreUnsafe(ref ys, (nuint)(2 * lanes));
        if (TBlock.Count > 3) a3.StoreUnsafe(ref ys, (nuint)(3 * lanes));
    }
}
