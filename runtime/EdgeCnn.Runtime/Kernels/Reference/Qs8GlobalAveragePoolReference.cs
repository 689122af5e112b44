using EdgeCnn.Runtime.Quantization;

namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC int8 global average, X[N,H,W,C] → Y[N,1,1,C] with the input's quantization:
/// y = clamp(zp + round(Σ_pixels (x − zp) / (H·W)), −128, 127), rounded to nearest with ties away from zero;
/// an empty image gives zp.</summary>
public static class Qs8GlobalAveragePoolReference
{
    public static void Run(int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y) =>
        Run(batch, pixels, channels, zeroPoint, x, y, 0, channels);

    /// <summary>Only channels [<paramref name="channelBegin"/>, <paramref name="channelEnd"/>) (a part of a split op).</summary>
    public static void Run(int batch, int pixels, int channels, int zeroPoint, ReadOnlySpan<sbyte> x, Span<sbyte> y, int channelBegin, int channelEnd)
    {
        for (int n = 0; n < batch; n++)
        for (int c = channelBegin; c < channelEnd; c++)
        {
            long sum = 0;
            for (int p = 0; p < pixels; p++) sum += x[(n * pixels + p) * channels + c] - zeroPoint;
            long mean = pixels == 0 ? 0 : FixedPoint.DivideRoundingHalfAwayFromZero(sum, pixels);
            y[n * channels + c] = (sbyte)Math.Clamp(zeroPoint + mean, sbyte.MinValue, sbyte.MaxValue);
        }
    }
}
