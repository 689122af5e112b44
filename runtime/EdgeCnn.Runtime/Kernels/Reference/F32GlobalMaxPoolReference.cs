namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>NHWC global maximum: X[N,H,W,C] → Y[N,1,1,C]. NaN propagates; an empty image gives −∞.</summary>
public static class F32GlobalMaxPoolReference
{
    public static void Run(int batch, int pixels, int channels, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int n = 0; n < batch; n++)
        {
            var row = y.Slice(n * channels, channels);
            row.Fill(float.NegativeInfinity);
            for (int p = 0; p < pixels; p++)
            {
                var input = x.Slice((n * pixels + p) * channels, channels);
                for (int c = 0; c < channels; c++) row[c] = MathF.Max(row[c], input[c]);
            }
        }
    }
}
