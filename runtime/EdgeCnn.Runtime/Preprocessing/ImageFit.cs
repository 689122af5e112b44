namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>How an image is fitted to the model's H×W (docs/preprocessing.md gives the exact math).</summary>
public enum ImageFit
{
    /// <summary>Resize to exactly H×W, ignoring the aspect ratio.</summary>
    Stretch,

    /// <summary>Resize to height H keeping the aspect ratio (width ⌈H·w/h⌉, at most W), then pad the right side
    /// with zeros after normalization, as PaddleOCR's text classifier and recognizer expect.</summary>
    PadRight,

    /// <summary>Resize so the short side is <see cref="ImagePreprocessing.ShortSide"/> keeping the aspect ratio,
    /// then cut the central H×W window (ImageNet evaluation).</summary>
    CenterCrop,
}
