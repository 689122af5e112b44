namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC int8 max pooling over the taps inside the input (padding never wins); input and output share
/// their quantization, so the maximum of the integers is the maximum of the reals. A window with no tap inside
/// the input (a ceil_mode window hanging past it) gives −128, the int8 image of the float op's −∞.</summary>
public static class Qs8MaxPool2DReference
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y)
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
                row.Fill(sbyte.MinValue);
                for (int kh = khBegin; kh < khEnd; kh++)
                for (int kw = kwBegin; kw < kwEnd; kw++)
                {
                    var input = x.Slice(((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth + iw0 + kw * g.DilationW) * c, c);
                    for (int ch = 0; ch < c; ch++) row[ch] = Math.Max(row[ch], input[ch]);
                }
            }
        }
    }
}
