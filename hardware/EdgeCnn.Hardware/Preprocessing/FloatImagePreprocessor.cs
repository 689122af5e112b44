using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// <see cref="ImagePreprocessor"/>'s float tensor written straight into a caller's span (a backend's float input) in
/// NCHW or NHWC, without allocating for a stream of same-size images: <see cref="ImagePreprocessor.Run(PixelImage, ImagePreprocessing, Span{float})"/>
/// allocates its gray and resized buffers per call, which a camera loop cannot afford. The elements equal that
/// path's (same resampling plans, same float32 normalization expression, padding 0). The resampling plan and the
/// gray buffer are kept for the last image size seen. Not thread-safe; one per thread.
/// </summary>
public sealed class FloatImagePreprocessor
{
    private readonly ImagePreprocessing _p;
    private readonly float[] _values;
    private ResamplingPlan? _plan;

    /// <exception cref="ArgumentException">Bad preprocessing settings or layout.</exception>
    public FloatImagePreprocessor(ImagePreprocessing preprocessing, ImageTensorLayout layout = ImageTensorLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        preprocessing.Validate();
        if (layout is not (ImageTensorLayout.Nchw or ImageTensorLayout.Nhwc)) throw new ArgumentException($"unknown layout {layout}", nameof(layout));
        _p = preprocessing;
        Layout = layout;
        _values = new float[preprocessing.Channels * 256];
        for (int c = 0; c < preprocessing.Channels; c++)
        {
            float mean = preprocessing.Mean.Length == 1 ? preprocessing.Mean[0] : preprocessing.Mean[c];
            float std = preprocessing.Std.Length == 1 ? preprocessing.Std[0] : preprocessing.Std[c];
            for (int b = 0; b < 256; b++)
                _values[(c << 8) + b] = (b / 255f - mean) / std;
        }
    }

    public ImagePreprocessing Preprocessing => _p;

    public ImageTensorLayout Layout { get; }

    public int ElementCount => _p.ElementCount;

    /// <summary>Writes every element of the tensor (padding included, so a reused buffer needs no clearing).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not the tensor's size.</exception>
    public void Run(PixelImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length != _p.ElementCount)
            throw new ArgumentException($"the destination holds {destination.Length} floats; the {Layout} tensor of {_p.Channels}x{_p.Height}x{_p.Width} needs {_p.ElementCount}", nameof(destination));

        var plan = _plan is { } last && last.Fits(image) ? last : (_plan = new ResamplingPlan(image, _p));
        ReadOnlySpan<byte> pixels = image.Pixels;
        if (plan.Gray is { } gray)
        {
            Luma.FromRgb(pixels, gray);
            pixels = gray;
        }
        // The float path pads with 0 after normalization.
        if (plan.Pads) destination.Clear();
        var sink = new FloatPixelSink(destination, _values, _p.Height, _p.Width, _p.Channels, Layout, plan.SourceChannels == 1, _p.Bgr);
        plan.Run(pixels, ref sink);
    }
}
