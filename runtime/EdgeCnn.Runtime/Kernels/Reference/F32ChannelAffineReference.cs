namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>y = x·scale[c] + shift[c] along the last axis of a tensor read as [rows, C].</summary>
public static class F32ChannelAffineReference
{
    public static void Run(int rows, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, ReadOnlySpan<float> x, Span<float> y)
    {
        int channels = scale.Length;
        for (int r = 0; r < rows; r++)
        {
            var input = x.Slice(r * channels, channels);
            var output = y.Slice(r * channels, channels);
            for (int c = 0; c < channels; c++) output[c] = input[c] * scale[c] + shift[c];
        }
    }
}
