namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>
/// How a decoded image becomes a model input of shape [1, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>]:
/// channel conversion (luma for gray), geometry (<see cref="Fit"/>), bilinear resampling (optionally antialiased) rounded to 8 bits,
/// scaling to 0..1 (pixel / 255), per-channel normalization (x − mean[c]) / std[c], channel order, padding.
/// <see cref="ImagePreprocessor"/> applies it; docs/preprocessing.md states the math.
/// </summary>
public sealed record ImagePreprocessing
{
    /// <summary>The tensor's height (for <see cref="ImageFit.PadRight"/>: the fixed text-line height).</summary>
    public required int Height { get; init; }

    /// <summary>The tensor's width (for <see cref="ImageFit.PadRight"/>: the width the line is padded to).</summary>
    public required int Width { get; init; }

    /// <summary>1 (gray, from the image's luma) or 3.</summary>
    public int Channels { get; init; } = 3;

    public ImageFit Fit { get; init; } = ImageFit.Stretch;

    /// <summary>For <see cref="ImageFit.CenterCrop"/>: the short side's length after resizing; when null,
    /// <see cref="DefaultShortSide"/> (256 for a 224 crop).</summary>
    public int? ShortSide { get; init; }

    /// <summary>Resample like Pillow (<see cref="AntialiasedResize"/>: the filter widens when shrinking) instead of
    /// OpenCV's INTER_LINEAR (<see cref="BilinearResize"/>: two taps per axis whatever the scale).</summary>
    public bool Antialias { get; init; }

    /// <summary>Feed the luma to every channel of a 3-channel input (a gray-trained color model).</summary>
    public bool Grayscale { get; init; }

    /// <summary>One value for all channels, or one per channel, in the output channel order.</summary>
    public float[] Mean { get; init; } = [0f];

    /// <summary>One value for all channels, or one per channel, in the output channel order.</summary>
    public float[] Std { get; init; } = [1f];

    /// <summary>Output channel 0 is blue (OpenCV/Paddle-trained models); RGB otherwise.</summary>
    public bool Bgr { get; init; }

    public int[] OutputShape => [1, Channels, Height, Width];

    public int ElementCount => Channels * Height * Width;

    /// <summary>ImageNet's convention: the crop covers 87.5% of the short side (224 of 256).</summary>
    public static int DefaultShortSide(int cropHeight, int cropWidth) =>
        (int)Math.Round(Math.Max(cropHeight, cropWidth) / 0.875, MidpointRounding.AwayFromZero);

    public int ResolvedShortSide => ShortSide ?? DefaultShortSide(Height, Width);

    internal float MeanOf(int c) => Mean.Length == 1 ? Mean[0] : Mean[c];

    internal float StdOf(int c) => Std.Length == 1 ? Std[0] : Std[c];

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (Height <= 0 || Width <= 0) throw new ArgumentException($"image size {Height}x{Width} must be positive");
        if ((long)Height * Width * Channels > int.MaxValue) throw new ArgumentException($"image size {Height}x{Width} is too large");
        if (Channels is not (1 or 3)) throw new ArgumentException($"images can feed 1 or 3 channels, the input has {Channels}");
        if (Mean.Length != 1 && Mean.Length != Channels) throw new ArgumentException($"--mean has {Mean.Length} values; give 1 or {Channels}");
        if (Std.Length != 1 && Std.Length != Channels) throw new ArgumentException($"--std has {Std.Length} values; give 1 or {Channels}");
        foreach (var m in Mean)
            if (!float.IsFinite(m)) throw new ArgumentException($"--mean value {m} must be finite");
        foreach (var s in Std)
            if (s == 0 || !float.IsFinite(s)) throw new ArgumentException($"--std value {s} must be finite and non-zero");
        if (ShortSide is { } side && Fit != ImageFit.CenterCrop)
            throw new ArgumentException($"a short side ({side}) applies to the center-crop fit only, not {Fit}");
        // A short side at least as long as the crop's longer side keeps the crop inside every resized image.
        if (Fit == ImageFit.CenterCrop && ResolvedShortSide < Math.Max(Height, Width))
            throw new ArgumentException($"--resize-short {ResolvedShortSide} is smaller than the {Height}x{Width} crop");
    }
}
