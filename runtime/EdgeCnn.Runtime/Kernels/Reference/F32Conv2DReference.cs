namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The definition of the float32 NHWC convolution: X[N,H,W,Cin] ⊛ W[Cout,KH,KW,Cin/g] (+ B[Cout]) → Y[N,OH,OW,Cout],
/// output channel oc reading input channels of group oc / (Cout/g). Plain loops, one output at a time;
/// the fast kernels are tested against it.
/// </summary>
public static class F32Conv2DReference
{
    /// <summary><paramref name="bias"/> is empty when the op has none. The activation is left to the caller.</summary>
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        for (int ow = 0; ow < g.OutWidth; ow++)
        for (int oc = 0; oc < g.OutChannels; oc++)
        {
            int firstInput = oc / opg * cpg;
            float acc = bias.IsEmpty ? 0f : bias[oc];
            for (int kh = 0; kh < g.KernelHeight; kh++)
            {
                int ih = oh * g.StrideH - g.PadTop + kh * g.DilationH;
                if (ih < 0 || ih >= g.InHeight) continue;
                for (int kw = 0; kw < g.KernelWidth; kw++)
                {
                    int iw = ow * g.StrideW - g.PadLeft + kw * g.DilationW;
                    if (iw < 0 || iw >= g.InWidth) continue;
                    int xBase = ((n * g.InHeight + ih) * g.InWidth + iw) * g.InChannels + firstInput;
                    int wBase = ((oc * g.KernelHeight + kh) * g.KernelWidth + kw) * cpg;
                    for (int ic = 0; ic < cpg; ic++) acc += x[xBase + ic] * w[wBase + ic];
                }
            }
            y[((n * g.OutHeight + oh) * g.OutWidth + ow) * g.OutChannels + oc] = acc;
        }
    }
}
