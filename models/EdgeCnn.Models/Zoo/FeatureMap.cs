namespace EdgeCnn.Models.Zoo;

/// <summary>A named NCHW activation with batch 1, as a builder tracks it: enough shape to size the next
/// layer's weights and to catch a resolution too small for the architecture while building.</summary>
public readonly record struct FeatureMap(string Name, int Channels, int Height, int Width)
{
    public int[] Shape => [1, Channels, Height, Width];
}

/// <summary>A named [1, Length] activation (after Flatten, or a fully connected layer).</summary>
public readonly record struct FeatureVector(string Name, int Length)
{
    public int[] Shape => [1, Length];
}
