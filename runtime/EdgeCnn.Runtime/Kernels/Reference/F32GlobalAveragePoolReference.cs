namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC global average: X[N,H,W,C] → Y[N,1,1,C], summing whole channel rows. The sums are kept in
/// double (<c>accumulator</c>, at least C long) because a large image adds hundreds of thousands of terms.</summary>
public static class F32GlobalAveragePoolReference
{
    public static void Run(int batch, int pixels, int channels, ReadOnlySpan<float> x, Span<float> y, Span<double> accumulator) =>
        Run(batch, pixels, channels, x, y, accumulator, 0, channels);

    /// <summary>Only channels [<paramref name="channelBegin"/>, <paramref name="channelEnd"/>) (a part of a split op;
    /// <paramref name="accumulator"/> needs one value per channel of the range). Each channel adds the same values in
    /// the same order as in the whole op.</summary>
    public static void Run(int batch, int pixels, int channels, ReadOnlySpan<float> x, Span<float> y, Span<double> accumulator,
        int channelBegin, int channelEnd)
    {
        if (channelBegin < 0 || channelEnd < channelBegin || channelEnd > channels)
            throw new ArgumentOutOfRangeException(nameof(channelBegin), $"channels [{channelBegin}, {channelEnd}) outside the {channels} channels");
        int width = channelEnd - channelBegin;
        var sum = accumulator.Slice(0, width);
        for (int n = 0; n < batch; n++)
        {
            sum.Clear();
            for (int p = 0; p < pixels; p++)
            {
                var input = x.Slice((n * pixels + p) * channels + channelBegin, width);
                for (int c = 0; c < width; c++) sum[c] += input[c];
            }
            var row = y.Slice(n * channels + channelBegin, width);
            for (int c = 0; c < width; c++) row[c] = pixels == 0 ? 0f : (float)(sum[c] / pixels);
        }
    }
}
