namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC global average: X[N,H,W,C] → Y[N,1,1,C], summing whole channel rows. The sums are kept in
/// double (<c>accumulator</c>, at least C long) because a large image adds hundreds of thousands of terms.</summary>
public static class F32GlobalAveragePoolReference
{
    public static void Run(int batch, int pixels, int channels, ReadOnlySpan<float> x, Span<float> y, Span<double> accumulator)
    {
        var sum = accumulator.Slice(0, channels);
        for (int n = 0; n < batch; n++)
        {
            sum.Clear();
            for (int p = 0; p < pixels; p++)
            {
                var input = x.Slice((n * pixels + p) * channels, channels);
                for (int c = 0; c < channels; c++) sum[c] += input[c];
            }
            var row = y.Slice(n * channels, channels);
            for (int c = 0; c < channels; c++) row[c] = pixels == 0 ? 0f : (float)(sum[c] / pixels);
        }
    }
}
