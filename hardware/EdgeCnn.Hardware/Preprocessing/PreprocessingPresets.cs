using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// The preprocessing of the model families EdgeCnn ships or tests with (docs/preprocessing.md, "Presets"). The
/// channel count is the model's: <see cref="ImageInputShape.Complete"/> sets it from the input, so a preset says only
/// whether color images are reduced to luma (<see cref="ImagePreprocessing.Grayscale"/>).
/// </summary>
public static class PreprocessingPresets
{
    /// <summary>The default model (models/fashion-mnist): 28×28 gray, stretched, pixel / 255.</summary>
    public static ImagePreprocessing FashionMnist { get; } = new()
    {
        Height = 28,
        Width = 28,
        Channels = 1,
        Fit = ImageFit.Stretch,
        Mean = [0f],
        Std = [1f],
        Grayscale = true,
    };

    /// <summary>PaddleOCR's text-direction classifier (ClsResizeImg, cls_image_shape 3,48,192): OpenCV's BGR images,
    /// keep-aspect resize to height 48 with INTER_LINEAR (no antialiasing), (x/255 − 0.5)/0.5, zero padding to width 192.</summary>
    public static ImagePreprocessing PaddleClassifier { get; } = new()
    {
        Height = 48,
        Width = 192,
        Channels = 3,
        Fit = ImageFit.PadRight,
        Mean = [0.5f],
        Std = [0.5f],
        Bgr = true,
        Antialias = false,
    };

    /// <summary>torchvision's ImageNet evaluation on PIL images: Resize(256) (Pillow's antialiased bilinear),
    /// CenterCrop(224), Normalize with ImageNet's mean and std, RGB.</summary>
    public static ImagePreprocessing ImageNet { get; } = new()
    {
        Height = 224,
        Width = 224,
        Channels = 3,
        Fit = ImageFit.CenterCrop,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
        Bgr = false,
        Antialias = true,
    };

    /// <summary>By the names the command line uses (--preset).</summary>
    public static IReadOnlyDictionary<string, ImagePreprocessing> All { get; } = new Dictionary<string, ImagePreprocessing>(StringComparer.Ordinal)
    {
        ["fashion-mnist"] = FashionMnist,
        ["paddle-cls"] = PaddleClassifier,
        ["imagenet"] = ImageNet,
    };

    public static string Names => string.Join(", ", All.Keys);

    /// <exception cref="ArgumentException">No preset has that name; the message lists the known ones.</exception>
    public static ImagePreprocessing Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.TryGetValue(name, out var preset) ? preset : throw new ArgumentException($"unknown preprocessing preset '{name}' (known: {Names})", nameof(name));
    }
}
