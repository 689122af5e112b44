namespace EdgeCnn.Cli.IO;

/// <summary>
/// How an image becomes a model input: decode, resize (bilinear) to <see cref="Height"/>×<see cref="Width"/>,
/// scale each pixel to 0..1 (pixel / 255), then normalize per channel: (x − mean[c]) / std[c].
/// Channels are in RGB order unless <see cref="Bgr"/> is set (Paddle/OpenCV-trained models); the result is NCHW [1, C, H, W].
/// </summary>
public sealed record ImagePreprocessing
{
    public required int Height { get; init; }
    public required int Width { get; init; }
    /// <summary>1 (grayscale) or 3 (color).</summary>
    public int Channels { get; init; } = 3;
    /// <summary>One value for all channels, or one per channel, in the output channel order.</summary>
    public float[] Mean { get; init; } = [0f];
    /// <summary>One value for all channels, or one per channel, in the output channel order.</summary>
    public float[] Std { get; init; } = [1f];
    public bool Bgr { get; init; }

    public int[] OutputShape => [1, Channels, Height, Width];

    internal float MeanOf(int c) => Mean.Length == 1 ? Mean[0] : Mean[c];

    internal float StdOf(int c) => Std.Length == 1 ? Std[0] : Std[c];

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Height <= 0 || Width <= 0) throw new ArgumentException($"image size {Height}x{Width} must be positive");
        if (Channels is not (1 or 3)) throw new ArgumentException($"images can feed 1 or 3 channels, the input has {Channels}");
        if (Mean.Length != 1 && Mean.Length != Channels) throw new ArgumentException($"--mean has {Mean.Length} values; give 1 or {Channels}");
        if (Std.Length != 1 && Std.Length != Channels) throw new ArgumentException($"--std has {Std.Length} values; give 1 or {Channels}");
        foreach (var s in Std)
            if (s == 0 || !float.IsFinite(s)) throw new ArgumentException($"--std value {s} must be finite and non-zero");
    }
}
