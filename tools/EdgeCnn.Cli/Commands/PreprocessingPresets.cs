using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Cli.Commands;

/// <summary>Preprocessing settings where every field may be left open: what a preset fixes, or what the
/// command line says. Open fields fall back to the preset, then to the model input.</summary>
internal sealed record PreprocessingSettings
{
    public (int Height, int Width)? Size { get; init; }
    public ImageFit? Fit { get; init; }
    public int? ShortSide { get; init; }
    public float[]? Mean { get; init; }
    public float[]? Std { get; init; }
    public bool? Bgr { get; init; }
    public bool? Grayscale { get; init; }
    public bool? Antialias { get; init; }

    /// <summary>Fields set here win; open ones come from <paramref name="fallback"/>.</summary>
    public PreprocessingSettings Over(PreprocessingSettings fallback) => new()
    {
        Size = Size ?? fallback.Size,
        Fit = Fit ?? fallback.Fit,
        ShortSide = ShortSide ?? fallback.ShortSide,
        Mean = Mean ?? fallback.Mean,
        Std = Std ?? fallback.Std,
        Bgr = Bgr ?? fallback.Bgr,
        Grayscale = Grayscale ?? fallback.Grayscale,
        Antialias = Antialias ?? fallback.Antialias,
    };
}

/// <summary>The preprocessing of well-known model families (docs/preprocessing.md). The values live once, in
/// EdgeCnn.Hardware's presets (which the camera pipeline uses too); here each becomes the fallback layer of
/// settings that the command-line options override field by field.</summary>
internal static class PreprocessingPresets
{
    public static readonly IReadOnlyDictionary<string, PreprocessingSettings> All =
        Hardware.Preprocessing.PreprocessingPresets.All.ToDictionary(p => p.Key, p => FromPreset(p.Value), StringComparer.Ordinal);

    public static string Names => Hardware.Preprocessing.PreprocessingPresets.Names;

    private static PreprocessingSettings FromPreset(ImagePreprocessing preset) => new()
    {
        Size = (preset.Height, preset.Width),
        Fit = preset.Fit,
        ShortSide = preset.ShortSide,
        Mean = preset.Mean,
        Std = preset.Std,
        Bgr = preset.Bgr,
        Grayscale = preset.Grayscale,
        Antialias = preset.Antialias,
    };
}
