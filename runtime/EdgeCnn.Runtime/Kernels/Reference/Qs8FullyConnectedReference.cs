namespace EdgeCnn.Runtime.Kernels.Reference;

/// <summary>
/// The definition of the int8 fully connected layer: Y[m,c] = output.Apply(B[c] + Σ_k (X[m,k] − xZeroPoint) · W[c,k], c)
/// with X read as [M,K], W[Cout,K] int8 (symmetric), B[Cout] int32 (empty when absent), in exact int32.
/// </summary>
public static class Qs8FullyConnectedReference
{
    public static void Run(int rows, int depth, int outChannels, ReadOnlySpan<sbyte> x, int xZeroPoint, ReadOnlySpan<sbyte> w,
        ReadOnlySpan<int> bias, Qs8Requantization output, Span<sbyte> y)
    {
        for (int m = 0; m < rows; m++)
        {
            var input = x.Slice(m * depth, depth);
            for (int c = 0; c < outChannels; c++)
            {
                var weights = w.Slice(c * depth, depth);
                int acc = bias.IsEmpty ? 0 : bias[c];
                for (int k = 0; k < depth; k++) acc += (input[k] - xZeroPoint) * weights[k];
                y[m * outChannels + c] = output.Apply(acc, c);
            }
        }
    }
}
