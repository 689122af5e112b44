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

/// <summary>The preprocessing of well-known model families (docs/preprocessing.md).</summary>
internal static class PreprocessingPresets
{
    public static readonly IReadOnlyDictionary<string, PreprocessingSettings> All = new Dictionary<string, PreprocessingSettings>(StringComparer.Ordinal)
    {
        // PaddleOCR's text-direction classifier (ClsResizeImg, cls_image_shape 3,48,192): OpenCV's BGR images,
        // keep-aspect cv2.resize (INTER_LINEAR, no antialiasing) to height 48, (x/255 − 0.5)/0.5, zero padding to width 192.
        ["paddle-cls"] = new()
        {
            Size = (48, 192),
            Fit = ImageFit.PadRight,
            Mean = [0.5f],
            Std = [0.5f],
            Bgr = true,
            Antialias = false,
        },
        // torchvision's ImageNet evaluation on PIL images: Resize(256) (Pillow's antialiased bilinear), CenterCrop(224),
        // ToTensor, Normalize(mean, std), RGB.
        ["imagenet"] = new()
        {
            Size = (224, 224),
            Fit = ImageFit.CenterCrop,
            Mean = [0.485f, 0.456f, 0.406f],
            Std = [0.229f, 0.224f, 0.225f],
            Bgr = false,
            Antialias = true,
        },
        // Fashion-MNIST: 28x28 gray, pixel / 255.
        ["fashion-mnist"] = new()
        {
            Size = (28, 28),
            Fit = ImageFit.Stretch,
            Mean = [0f],
            Std = [1f],
            Grayscale = true,
        },
    };

    public static string Names => string.Join(", ", All.Keys);
}
