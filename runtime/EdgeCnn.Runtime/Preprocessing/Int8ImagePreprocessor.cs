using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>
/// Preprocesses images straight into an int8 input tensor (a model quantized with an Int8 input, or the arena place
/// Session.InputInt8 returns): resampling, normalization and quantization in one pass per output element, with no
/// float tensor in between. The codes equal <see cref="Qs8QuantizeReference"/> applied to
/// <see cref="ImagePreprocessor"/>'s floats, bit for bit: both paths resample to the same bytes, and the code of a
/// byte is that function of that byte's normalized float, tabulated per channel. The resampling tables and buffers
/// depend on the image size only; they are kept for the last size seen, so a stream of same-size frames (a camera)
/// is preprocessed without allocating. Not thread-safe; one per thread.
/// </summary>
public sealed class Int8ImagePreprocessor
{
    private readonly ImagePreprocessing _p;
    private readonly sbyte[] _codes;
    private readonly sbyte _padCode;
    private ImageSizePlan? _plan;

    /// <param name="scale">The input's quantization scale (real = scale · (code − zeroPoint)).</param>
    /// <exception cref="ArgumentException">Bad preprocessing settings or quantization params.</exception>
    public Int8ImagePreprocessor(ImagePreprocessing preprocessing, float scale, int zeroPoint, ImageTensorLayout layout = ImageTensorLayout.Nchw)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        preprocessing.Validate();
        if (!(scale > 0) || !float.IsFinite(scale)) throw new ArgumentException($"quantization scale {scale} must be finite and positive", nameof(scale));
        if (zeroPoint is < sbyte.MinValue or > sbyte.MaxValue) throw new ArgumentException($"zero point {zeroPoint} is outside the int8 range -128..127", nameof(zeroPoint));
        if (layout is not (ImageTensorLayout.Nchw or ImageTensorLayout.Nhwc)) throw new ArgumentException($"unknown layout {layout}", nameof(layout));
        _p = preprocessing;
        Layout = layout;
        _codes = new sbyte[preprocessing.Channels * 256];
        for (int c = 0; c < preprocessing.Channels; c++)
        {
            float mean = preprocessing.MeanOf(c), std = preprocessing.StdOf(c);
            for (int b = 0; b < 256; b++)
                _codes[(c << 8) + b] = Qs8QuantizeReference.Quantize(ImagePreprocessor.Normalized((byte)b, mean, std), scale, zeroPoint);
        }
        // The float path pads with 0 after normalization.
        _padCode = Qs8QuantizeReference.Quantize(0f, scale, zeroPoint);
    }

    /// <summary>For an Int8 model input: its per-tensor params, NCHW for [1,1|3,H,W] and NHWC for [1,H,W,1|3] (a
    /// square 1- or 3-pixel shape is ambiguous and read as NCHW).</summary>
    /// <exception cref="ArgumentException">The input is not Int8 with per-tensor params, or its shape is no image of
    /// <paramref name="preprocessing"/>'s size and channels.</exception>
    public static Int8ImagePreprocessor For(TensorInfo input, ImagePreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (input.Type != DataType.Int8 || input.Quant is not { IsPerTensor: true } quant)
            throw new ArgumentException($"input '{input.Name}' is {input.Type}{(input.Quant is { IsPerTensor: false } ? " with per-channel params" : "")}; images are quantized into Int8 inputs with per-tensor params");
        int[] nchw = preprocessing.OutputShape, nhwc = [1, preprocessing.Height, preprocessing.Width, preprocessing.Channels];
        var layout = input.Shape.SequenceEqual(nchw) ? ImageTensorLayout.Nchw
            : input.Shape.SequenceEqual(nhwc) ? ImageTensorLayout.Nhwc
            : throw new ArgumentException($"input '{input.Name}' has shape [{string.Join(',', input.Shape)}]; the preprocessed image is [{string.Join(',', nchw)}] (NCHW) or [{string.Join(',', nhwc)}] (NHWC)");
        return new Int8ImagePreprocessor(preprocessing, quant.Scale, quant.ZeroPoint, layout);
    }

    public ImagePreprocessing Preprocessing => _p;

    public ImageTensorLayout Layout { get; }

    public int ElementCount => _p.ElementCount;

    /// <summary>Writes every element of the tensor (padding included, so a reused buffer needs no clearing).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not the tensor's size.</exception>
    public void Run(PixelImage image, Span<sbyte> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length != _p.ElementCount)
            throw new ArgumentException($"the destination holds {destination.Length} int8 values; the {Layout} tensor of {_p.Channels}x{_p.Height}x{_p.Width} needs {_p.ElementCount}", nameof(destination));

        var plan = _plan is { } last && last.Fits(image) ? last : (_plan = new ImageSizePlan(image, _p));
        ReadOnlySpan<byte> pixels = image.Pixels;
        if (plan.Gray is { } gray)
        {
            Luma.FromRgb(pixels, gray);
            pixels = gray;
        }
        if (plan.Pads) destination.Fill(_padCode);
        var sink = new QuantizingPixelSink(destination, _codes, _p.Height, _p.Width, _p.Channels, Layout, plan.SourceChannels == 1, _p.Bgr);
        if (plan.Antialiased is { } antialiased) antialiased.Run(pixels, ref sink);
        else plan.Bilinear!.Run(pixels, ref sink);
    }

    /// <summary>What depends on the image's size: the gray buffer, the resampling plan, whether the tensor has padding.</summary>
    private sealed class ImageSizePlan
    {
        private readonly int _height, _width, _channels;

        public ImageSizePlan(PixelImage image, ImagePreprocessing p)
        {
            (_height, _width, _channels) = (image.Height, image.Width, image.Channels);
            // Gray conversion first, as ImagePreprocessor does.
            bool toGray = image.Channels == 3 && (p.Channels == 1 || p.Grayscale);
            Gray = toGray ? new byte[image.Height * image.Width] : null;
            SourceChannels = toGray ? 1 : image.Channels;
            var g = ResizeGeometry.For(image.Height, image.Width, p);
            if (p.Antialias)
                Antialiased = new AntialiasedResize.Plan(image.Height, image.Width, SourceChannels, g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth);
            else
                Bilinear = new BilinearResize.Plan(image.Height, image.Width, SourceChannels, g.ResizedHeight, g.ResizedWidth, g.Top, g.Left, g.ContentHeight, g.ContentWidth);
            Pads = g.ContentHeight != p.Height || g.ContentWidth != p.Width;
        }

        public byte[]? Gray { get; }
        public int SourceChannels { get; }
        public BilinearResize.Plan? Bilinear { get; }
        public AntialiasedResize.Plan? Antialiased { get; }
        public bool Pads { get; }

        public bool Fits(PixelImage image) => image.Height == _height && image.Width == _width && image.Channels == _channels;
    }
}
