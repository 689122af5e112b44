namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// Local response normalization across the last (channel) axis, as ONNX defines it:
/// y[c] = x[c] / (bias + alpha/size · Σ x[c']²)^beta for c' in [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉] ∩ [0, C).
/// </summary>
public static class F32LrnReference
{
    public static void Run(int pixels, int channels, int size, float alpha, float beta, float bias, ReadOnlySpan<float> x, Span<float> y)
    {
        int below = (size - 1) / 2, above = size - 1 - below;
        float scale = alpha / size;
        for (int p = 0; p < pixels; p++)
        {
            var input = x.Slice(p * channels, channels);
            var output = y.Slice(p * channels, channels);
            for (int c = 0; c < channels; c++)
            {
                int first = Math.Max(0, c - below), last = Math.Min(channels - 1, c + above);
                float sum = 0f;
                for (int k = first; k <= last; k++) sum += input[k] * input[k];
                output[c] = input[c] / MathF.Pow(bias + scale * sum, beta);
            }
        }
    }
}
