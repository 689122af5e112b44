namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC Lp pooling: y = (Σ|x|^p)^(1/p) over the taps inside the input (pads add 0).</summary>
public static class F32LpPool2DReference
{
    public static void Run(in Spatial2DGeometry g, int p, ReadOnlySpan<float> x, Span<float> y)
    {
        int c = g.InChannels;
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (kwBegin, kwEnd) = g.ValidColumns(ow);
                int iw0 = ow * g.StrideW - g.PadLeft;
                var row = y.Slice(((n * g.OutHeight + oh) * g.OutWidth + ow) * c, c);
                row.Clear();
                for (int kh = khBegin; kh < khEnd; kh++)
                for (int kw = kwBegin; kw < kwEnd; kw++)
                {
                    var input = x.Slice(((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth + iw0 + kw * g.DilationW) * c, c);
                    for (int ch = 0; ch < c; ch++) row[ch] += Power(MathF.Abs(input[ch]), p);
                }
                for (int ch = 0; ch < c; ch++) row[ch] = Root(row[ch], p);
            }
        }
    }

    private static float Power(float v, int p) => p switch
    {
        1 => v,
        2 => v * v,
        _ => MathF.Pow(v, p),
    };

    private static float Root(float v, int p) => p switch
    {
        1 => v,
        2 => MathF.Sqrt(v),
        _ => MathF.Pow(v, 1f / p),
    };
}
