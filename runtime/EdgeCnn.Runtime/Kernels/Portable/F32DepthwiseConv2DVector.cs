using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Depthwise NHWC convolution (one group per input channel, Cout = Cin·multiplier). Weights are repacked
/// once to [KH,KW,Cout] so that, for one output pixel, a vector of output channels accumulates over the
/// taps from adjacent input and weight channels. The channel tail is an overlapping last vector (it
/// rewrites a few outputs with the same values), scalar only when there are fewer channels than lanes.
/// </summary>
public static class F32DepthwiseConv2DVector
{
    /// <summary>W[Cout,KH,KW,1] → [KH,KW,Cout].</summary>
    public static float[] PackWeights(in Spatial2DGeometry g, ReadOnlySpan<float> w)
    {
        int taps = g.KernelHeight * g.KernelWidth, cout = g.OutChannels;
        var packed = new float[taps * cout];
        for (int oc = 0; oc < cout; oc++)
            for (int t = 0; t < taps; t++)
                packed[t * cout + oc] = w[oc * taps + t];
        return packed;
    }

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
                    for (int c = 0; c < cout; c += lanes)
                    {
                        if (c > cout - lanes) c = cout - lanes;
                        var acc = hasBias ? Vector.LoadUnsafe(ref b0, (nuint)c) : Vector<float>.Zero;
                        for (int kh = khBegin; kh < khEnd; kh++)
                        {
                            int xRow = (n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth;
                            int wRow = kh * g.KernelWidth;
                            for (int kw = kwBegin; kw < kwEnd; kw++)
                            {
                                var xv = Vector.LoadUnsafe(ref x0, (nuint)((xRow + iw0 + kw * g.DilationW) * cin + c));
                                acc += xv * Vector.LoadUnsafe(ref w0, (nuint)((wRow + kw) * cout + c));
                            }
                        }
                        acc.StoreUnsafe(ref y0, (nuint)(yBase + c));
                    }
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
}
