namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Float32 NHWC transposed convolution: every input pixel x[n,ih,iw,ic] scatters x·W[ic,kh,kw,:] into
/// y[n, ih·s − pad_top + kh·d, iw·s − pad_left + kw·d, group(ic)·(Cout/g) + :]; contributions that land
/// outside the output (cropped by the pads) are dropped. In the geometry, In* is X and Out* is Y.
/// </summary>
public static class F32ConvTranspose2DReference
{
    /// <summary><paramref name="bias"/> is empty when the op has none. The activation is left to the caller.</summary>
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y)
    {
        int cpg = g.InGroupChannels, opg = g.OutGroupChannels;
        int pixels = g.Batch * g.OutHeight * g.OutWidth;
        for (int p = 0; p < pixels; p++)
        {
            var row = y.Slice(p * g.OutChannels, g.OutChannels);
            if (bias.IsEmpty) row.Clear();
            else bias.CopyTo(row);
        }

        for (int n = 0; n < g.Batch; n++)
        for (int ih = 0; ih < g.InHeight; ih++)
        for (int kh = 0; kh < g.KernelHeight; kh++)
        {
            int oh = ih * g.StrideH - g.PadTop + kh * g.DilationH;
            if (oh < 0 || oh >= g.OutHeight) continue;
            for (int iw = 0; iw < g.InWidth; iw++)
            for (int kw = 0; kw < g.KernelWidth; kw++)
            {
                int ow = iw * g.StrideW - g.PadLeft + kw * g.DilationW;
                if (ow < 0 || ow >= g.OutWidth) continue;
                int xBase = ((n * g.InHeight + ih) * g.InWidth + iw) * g.InChannels;
                int yBase = ((n * g.OutHeight + oh) * g.OutWidth + ow) * g.OutChannels;
                for (int ic = 0; ic < g.InChannels; ic++)
                {
                    float xv = x[xBase + ic];
                    int wBase = ((ic * g.KernelHeight + kh) * g.KernelWidth + kw) * opg;
                    int yGroup = yBase + ic / cpg * opg;
                    for (int j = 0; j < opg; j++) y[yGroup + j] += xv * w[wBase + j];
                }
            }
        }
    }
}
