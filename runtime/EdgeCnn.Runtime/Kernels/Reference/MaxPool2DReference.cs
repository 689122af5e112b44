using System.Numerics;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC max pooling over the taps inside the input (padding never wins). A window with no tap inside
/// the input (only possible with ceil_mode windows hanging past it) gives −∞, or −128 for int8, the int8 image of
/// −∞. Int8 input and output share their quantization, so the maximum of the integers is the maximum of the
/// reals. NaN propagates.</summary>
public static class MaxPool2DReference
{
    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<float> x, Span<float> y) => Run(g, x, y, float.NegativeInfinity);

    public static void Run(in Spatial2DGeometry g, ReadOnlySpan<sbyte> x, Span<sbyte> y) => Run(g, x, y, sbyte.MinValue);

    private static void Run<T>(in Spatial2DGeometry g, ReadOnlySpan<T> x, Span<T> y, T empty) where T : INumber<T>
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
                row.Fill(empty);
                for (int kh = khBegin; kh < khEnd; kh++)
                for (int kw = kwBegin; kw < kwEnd; kw++)
                {
                    var input = x.Slice(((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth + iw0 + kw * g.DilationW) * c, c);
                    for (int ch = 0; ch < c; ch++) row[ch] = T.Max(row[ch], input[ch]);
                }
            }
        }
    }
}
