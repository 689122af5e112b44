namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The definition of the int8 NHWC convolution: for output channel oc (group oc / (Cout/g)),
/// acc = B[oc] + Σ (x − xZeroPoint) · w over the window's taps inside the input (a padded tap contributes 0,
/// i.e. padding holds the zero point), in exact int32 (the operator has checked that no input can overflow it);
/// y = output.Apply(acc, oc). X[N,H,W,Cin], W[Cout,KH,KW,Cin/g] int8 (symmetric), B[Cout] int32.
/// </summary>
public static class Qs8Conv2DReference
{
    /// <summary><paramref name="bias"/> is empty when the op has none.</summary>
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, int xZeroPoint, ReadOnlySpan<sbyte> w,
        ReadOnlySpan<int> bias, Qs8Requantization output, Span<sbyte> y)
    {
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        for (int ow = 0; ow < g.OutWidth; ow++)
        for (int oc = 0; oc < g.OutChannels; oc++)
        {
            int firstInput = oc / opg * cpg;
            int acc = bias.IsEmpty ? 0 : bias[oc];
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
                    for (int ic = 0; ic < cpg; ic++) acc += (x[xBase + ic] - xZeroPoint) * w[wBase + ic];
                }
            }
            y[((n * g.OutHeight + oh) * g.OutWidth + ow) * g.OutChannels + oc] = output.Apply(acc, oc);
        }
    }
}
