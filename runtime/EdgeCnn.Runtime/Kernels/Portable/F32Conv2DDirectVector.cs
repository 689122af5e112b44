using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// Direct NHWC convolution for any geometry. For each output pixel and each block of four output
/// channels it sums dot products over the input channels of every kernel tap inside the input; with one
/// group and no horizontal dilation the taps of a kernel row are adjacent in both X and W, so a whole row
/// is one long dot. The activation is applied while the output pixel is still in cache.
/// </summary>
public static class F32Conv2DDirectVector
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        ActivationKind activation, float alpha, float beta, Span<float> y)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(w);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int cin = g.InChannels, cout = g.OutChannels, cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        int ocStride = g.KernelHeight * g.KernelWidth * cpg;
        bool rowIsOneRun = g.Group == 1 && g.DilationW == 1;

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
                for (int group = 0; group < g.Group; group++)
                {
                    int oc = group * opg, ocEnd = oc + opg;
                    for (; oc + 4 <= ocEnd; oc += 4)
                    {
                        var acc = bias.IsEmpty ? Vector4.Zero : Float4.Load(bias, oc);
                        for (int kh = khBegin; kh < khEnd; kh++)
                        {
                            int xRow = ((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth) * cin + group * cpg;
                            int wRow = oc * ocStride + kh * g.KernelWidth * cpg;
                            if (rowIsOneRun)
                            {
                                if (kwEnd > kwBegin)
                                    acc += F32DotVector.Dot4(ref Unsafe.Add(ref x0, xRow + (iw0 + kwBegin) * cin),
                                        ref Unsafe.Add(ref w0, wRow + kwBegin * cpg), ocStride, (kwEnd - kwBegin) * cin);
                                continue;
                            }
                            for (int kw = kwBegin; kw < kwEnd; kw++)
                                acc += F32DotVector.Dot4(ref Unsafe.Add(ref x0, xRow + (iw0 + kw * g.DilationW) * cin),
                                    ref Unsafe.Add(ref w0, wRow + kw * cpg), ocStride, cpg);
                        }
                        Float4.Store(ref y0, yBase + oc, acc);
                    }
                    for (; oc < ocEnd; oc++)
                    {
                        float acc = bias.IsEmpty ? 0f : bias[oc];
                        for (int kh = khBegin; kh < khEnd; kh++)
                        {
                            int xRow = ((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth) * cin + group * cpg;
                            int wRow = oc * ocStride + kh * g.KernelWidth * cpg;
                            if (rowIsOneRun)
                            {
                                if (kwEnd > kwBegin)
                                    acc += F32DotVector.Dot1(ref Unsafe.Add(ref x0, xRow + (iw0 + kwBegin) * cin),
                                        ref Unsafe.Add(ref w0, wRow + kwBegin * cpg), (kwEnd - kwBegin) * cin);
                                continue;
                            }
                            for (int kw = kwBegin; kw < kwEnd; kw++)
                                acc += F32DotVector.Dot1(ref Unsafe.Add(ref x0, xRow + (iw0 + kw * g.DilationW) * cin),
                                    ref Unsafe.Add(ref w0, wRow + kw * cpg), cpg);
                        }
                        Unsafe.Add(ref y0, yBase + oc) = acc;
                    }
                }
                F32Activation.Apply(activation, alpha, beta, y.Slice(yBase, cout));
            }
        }
    }
}
