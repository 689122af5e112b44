namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// NHWC average pooling. The divisor counts the taps inside the padded input when
/// <c>countIncludePad</c> (so a ceil_mode window hanging past the padded input counts only its padded-input
/// part), otherwise only the taps on real pixels. A window with nothing to count gives 0.
/// </summary>
public static class F32AveragePool2DReference
{
    public static void Run(in Spatial2DGeometry g, bool countIncludePad, ReadOnlySpan<float> x, Span<float> y)
    {
        int c = g.InChannels;
        for (int n = 0; n < g.Batch; n++)
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            var (khBegin, khEnd) = g.ValidRows(oh);
            var (phBegin, phEnd) = g.PaddedRows(oh);
            int ih0 = oh * g.StrideH - g.PadTop;
            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                var (kwBegin, kwEnd) = g.ValidColumns(ow);
                var (pwBegin, pwEnd) = g.PaddedColumns(ow);
                int iw0 = ow * g.StrideW - g.PadLeft;
                var row = y.Slice(((n * g.OutHeight + oh) * g.OutWidth + ow) * c, c);
                row.Clear();
                for (int kh = khBegin; kh < khEnd; kh++)
                for (int kw = kwBegin; kw < kwEnd; kw++)
                {
                    var input = x.Slice(((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth + iw0 + kw * g.DilationW) * c, c);
                    for (int ch = 0; ch < c; ch++) row[ch] += input[ch];
                }
                int count = countIncludePad
                    ? (phEnd - phBegin) * (pwEnd - pwBegin)
                    : (khEnd - khBegin) * (kwEnd - kwBegin);
                if (count == 0) continue;
                float scale = 1f / count;
                for (int ch = 0; ch < c; ch++) row[ch] *= scale;
            }
        }
    }
}
