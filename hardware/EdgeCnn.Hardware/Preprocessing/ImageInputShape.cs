using EdgeCnn.Hardware.Backends;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Reads a backend's image input: batch 1, NCHW [1, C, H, W] or NHWC [1, H, W, C] with C = 1 or 3, and completes
/// the user's preprocessing from it (the tensor's size and channels are the model's, not the user's).
/// </summary>
public static class ImageInputShape
{
    /// <summary>The layout of <paramref name="input"/> holding the tensor <paramref name="preprocessing"/> describes.
    /// A shape that reads both ways (e.g. [1,3,3,3]) is NCHW, as ONNX image models are.</summary>
    /// <exception cref="ArgumentException">The input's shape is not that tensor in either layout.</exception>
    public static ImageTensorLayout LayoutOf(BackendInput input, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(preprocessing);
        var shape = input.Shape;
        var (c, h, w) = (preprocessing.Channels, preprocessing.Height, preprocessing.Width);
        if (shape is [1, var c1, var h1, var w1] && c1 == c && h1 == h && w1 == w) return ImageTensorLayout.Nchw;
        if (shape is [1, var h2, var w2, var c2] && c2 == c && h2 == h && w2 == w) return ImageTensorLayout.Nhwc;
        throw new ArgumentException($"input '{input.Name}' has shape [{string.Join(',', shape)}]; the preprocessed image is [1,{c},{h},{w}] (NCHW) or [1,{h},{w},{c}] (NHWC)");
    }

    /// <summary>
    /// The preprocessing that feeds <paramref name="input"/>: <paramref name="settings"/> (a preset, possibly changed
    /// with <c>with</c>; fit, short side, mean/std, BGR, grayscale, antialiasing) with the channels set to the input's.
    /// Without settings the image is stretched to the input's size, pixel / 255 (mean 0, std 1), RGB — the CLI's default.
    /// </summary>
    /// <exception cref="ArgumentException">The input is no batch-1 image of 1 or 3 channels, its size differs from
    /// the settings' size, or the settings are invalid for its channel count.</exception>
    public static ImagePreprocessing Complete(BackendInput input, ImagePreprocessing? settings = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape is not [1, _, _, _])
            throw new ArgumentException($"input '{input.Name}' has shape [{string.Join(',', shape)}]; an image feeds a batch-1 input [1,C,H,W] or [1,H,W,C]");
        // NCHW when the second axis can be a channel count and the sizes agree (or there are no settings to compare with).
        bool nchw = shape[1] is 1 or 3 && (settings is null || (shape[2] == settings.Height && shape[3] == settings.Width));
        bool nhwc = shape[3] is 1 or 3 && (settings is null || (shape[1] == settings.Height && shape[2] == settings.Width));
        if (!nchw && !nhwc)
        {
            string wanted = settings is null ? "1 or 3 channels" : $"the {settings.Height}x{settings.Width} image of the preprocessing";
            throw new ArgumentException($"input '{input.Name}' has shape [{string.Join(',', shape)}]: it holds no image of {wanted} in NCHW or NHWC");
        }
        var (channels, height, width) = nchw ? (shape[1], shape[2], shape[3]) : (shape[3], shape[1], shape[2]);
        var completed = (settings ?? new ImagePreprocessing { Height = height, Width = width }) with { Channels = channels };
        completed.Validate();
        return completed;
    }
}
