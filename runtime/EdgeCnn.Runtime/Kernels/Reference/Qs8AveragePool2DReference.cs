using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// NHWC int8 average pooling with the input's quantization on the output:
/// y = clamp(zp + round(Σ (x − zp) / count), −128, 127), the sum over the taps inside the input (padding is real 0,
/// i.e. x = zp) and the division rounded to nearest with ties away from zero. count follows the float op: the taps
/// inside the padded input when <c>countIncludePad</c>, else the taps on real pixels; a window with nothing to
/// count gives zp (real 0).
/// </summary>
public static class Qs8AveragePool2DReference
{
    public static void Run(in Spatial2DGeometry g, bool countIncludePad, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y)
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
                long count = countIncludePad
                    ? (long)(phEnd - phBegin) * (pwEnd - pwBegin)
                    : (long)(khEnd - khBegin) * (kwEnd - kwBegin);
                var row = y.Slice(((n * g.OutHeight + oh) * g.OutWidth + ow) * c, c);
                for (int ch = 0; ch < c; ch++)
                {
                    long sum = 0;
                    for (int kh = khBegin; kh < khEnd; kh++)
                    for (int kw = kwBegin; kw < kwEnd; kw++)
                        sum += x[((n * g.InHeight + ih0 + kh * g.DilationH) * g.InWidth + iw0 + kw * g.DilationW) * c + ch] - zeroPoint;
                    long mean = count == 0 ? 0 : FixedPoint.DivideRoundingHalfAwayFromZero(sum, count);
                    row[ch] = (sbyte)Math.Clamp(zeroPoint + mean, sbyte.MinValue, sbyte.MaxValue);
                }
            }
        }
    }
}
