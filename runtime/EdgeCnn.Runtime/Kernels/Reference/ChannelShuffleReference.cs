namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>Channel shuffle along the last axis: channel g·(C/G) + i of each row goes to i·G + g.
/// Generic over the element type.</summary>
public static class ChannelShuffleReference
{
    public static void Run<T>(int rows, int channels, int groups, ReadOnlySpan<T> x, Span<T> y)
    {
        int perGroup = channels / groups;
        for (int r = 0; r < rows; r++)
        {
            var input = x.Slice(r * channels, channels);
            var output = y.Slice(r * channels, channels);
            for (int g = 0; g < groups; g++)
                for (int i = 0; i < perGroup; i++)
                    output[i * groups + g] = input[g * perGroup + i];
        }
    }
}
