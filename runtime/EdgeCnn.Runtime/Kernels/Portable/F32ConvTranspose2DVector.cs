using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>
/// NHWC transposed convolution written as a gather: output pixel oh receives input row ih from kernel row kh
/// exactly when oh + pad_top − kh·d is a non-negative multiple of the stride s with quotient ih &lt; H. Each
/// output is then a sum of dot products over the input channels of its group, with weights repacked once
/// to [KH,KW,Cout,Cin/g] so both operands are contiguous. No scatter, so no zero-fill pass and no races.
/// </summary>
public static class F32ConvTranspose2DVector
{
    /// <summary>W[Cin,KH,KW,Cout/g] → [KH,KW,Cout,Cin/g].</summary>
    public static float[] PackWeights(in Spatial2DGeometry g, ReadOnlySpan<float> w)
    {
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels, cout = g.OutChannels;
        var packed = new float[g.KernelHeight * g.KernelWidth * cout * cpg];
        for (int ic = 0; ic < g.InChannels; ic++)
        for (int kh = 0; kh < g.KernelHeight; kh++)
        for (int kw = 0; kw < g.KernelWidth; kw++)
        for (int o = 0; o < opg; o++)
        {
            int group = ic / cpg, oc = group * opg + o;
            packed[((kh * g.KernelWidth + kw) * cout + oc) * cpg + ic % cpg] = w[((ic * g.KernelHeight + kh) * g.KernelWidth + kw) * opg + o];
        }
        return packed;
    }

    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> bias,
        ActivationKind activation, float alpha, float beta, Span<float> y) =>
        Run(g, x, packedWeights, bias, activation, alpha, beta, y, 0, g.Batch * g.OutHeight);

    /// <summary>Only the output rows [<paramref name="rowBegin"/>, <paramref name="rowEnd"/>), counted over all images
    /// (a part of a split op). A gather computes each output from its own taps, so any rows can run alone.</summary>
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> packedWeights, ReadOnlySpan<float> bias,
        ActivationKind activation, float alpha, float beta, Span<float> y, int rowBegin, int rowEnd)
    {
        if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > (long)g.Batch * g.OutHeight)
            throw new ArgumentOutOfRangeException(nameof(rowBegin), $"rows [{rowBegin}, {rowEnd}) outside the {g.Batch}×{g.OutHeight} output rows");
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float w0 = ref MemoryMarshal.GetReference(packedWeights);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int cin = g.InChannels, cout = g.OutChannels, cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        int tapStride = cout * cpg;

        for (int row = rowBegin; row < rowEnd; row++)
        for (int ow = 0; ow < g.OutWidth; ow++)
        {
            int n = row / g.OutHeight, oh = row % g.OutHeight;
            int yBase = ((n * g.OutHeight + oh) * g.OutWidth + ow) * cout;
            for (int group = 0; group < g.Group; group++)
            {
                int oc = group * opg, ocEnd = oc + opg;
                for (; oc + 4 <= ocEnd; oc += 4)
                {
                    var acc = bias.IsEmpty ? Vector4.Zero : Float4.Load(bias, oc);
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                    {
                        int ih = SourceIndex(oh + g.PadTop - kh * g.DilationH, g.StrideH, g.InHeight);
                        if (ih < 0) continue;
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int iw = SourceIndex(ow + g.PadLeft - kw * g.DilationW, g.StrideW, g.InWidth);
                            if (iw < 0) continue;
                            acc += F32DotVector.Dot4(ref Unsafe.Add(ref x0, ((n * g.InHeight + ih) * g.InWidth + iw) * cin + group * cpg),
                                ref Unsafe.Add(ref w0, (kh * g.KernelWidth + kw) * tapStride + oc * cpg), cpg, cpg);
                        }
                    }
                    Float4.Store(ref y0, yBase + oc, acc);
                }
                for (; oc < ocEnd; oc++)
                {
                    float acc = bias.IsEmpty ? 0f : bias[oc];
                    for (int kh = 0; kh < g.KernelHeight; kh++)
                    {
                        int ih = SourceIndex(oh + g.PadTop - kh * g.DilationH, g.StrideH, g.InHeight);
                        if (ih < 0) continue;
                        for (int kw = 0; kw < g.KernelWidth; kw++)
                        {
                            int iw = SourceIndex(ow + g.PadLeft - kw * g.DilationW, g.StrideW, g.InWidth);
                            if (iw < 0) continue;
                            acc += F32DotVector.Dot1(ref Unsafe.Add(ref x0, ((n * g.InHeight + ih) * g.InWidth + iw) * cin + group * cpg),
                                ref Unsafe.Add(ref w0, (kh * g.KernelWidth + kw) * tapStride + oc * cpg), cpg);
                        }
                    }
                    Unsafe.Add(ref y0, yBase + oc) = acc;
                }
            }
            F32Activation.Apply(activation, alpha, beta, y.Slice(yBase, cout));
        }
    }

    /// <summary>The input index whose stride step lands on <paramref name="offset"/>, or −1 when none does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SourceIndex(int offset, int stride, int size)
    {
        if (offset < 0) return -1;
        int index = Math.DivRem(offset, stride, out int remainder);
        return remainder == 0 && index < size ? index : -1;
    }
}
