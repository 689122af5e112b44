namespace EdgeCnn.Runtime.Kernels.Portable;

/// <summary>Weight layouts that the kernels vectorized over output channels repack to once, in Prepare.</summary>
internal static class WeightPacking
{
    /// <summary>W[Cout,R] → [R,Cout], so that a vector of output channels reads adjacent weights.</summary>
    public static float[] OutputChannelsLast(ReadOnlySpan<float> w, int outChannels, int rows)
    {
        var packed = new float[rows * outChannels];
        for (int oc = 0; oc < outChannels; oc++)
            for (int r = 0; r < rows; r++)
                packed[r * outChannels + oc] = w[oc * rows + r];
        return packed;
    }
}
