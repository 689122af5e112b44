using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Pipeline;
using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Camera frame → model input, written in place into the backend's input span: the frame becomes an 8-bit image
/// (<see cref="FrameImageConverter"/>: rows unpadded, YUYV converted, MJPEG/files decoded, luma only for gray models),
/// which <see cref="Int8ImagePreprocessor"/> (int8 input: resampling, normalization and quantization in one pass) or
/// <see cref="FloatImagePreprocessor"/> (float input) writes into the tensor, NCHW or NHWC as the input's shape says.
/// The image buffer and the resampling plans are kept for the last frame size, so a stream of same-size raw frames
/// (Rgb24, Gray8, Yuyv) is preprocessed without allocating; a size change re-plans once. Encoded frames allocate in
/// the decoder (<see cref="EncodedImageDecoder"/>). Not thread-safe: one per pipeline.
/// </summary>
public sealed class FramePreprocessor : IFrameInputWriter
{
    private readonly FrameImageConverter _converter;
    private readonly Int8ImagePreprocessor? _int8;
    private readonly FloatImagePreprocessor? _float;

    /// <param name="preprocessing">The complete preprocessing (see <see cref="ImageInputShape.Complete"/>).</param>
    /// <param name="input">The backend's input: its shape fixes the layout, its type int8 (with scale and zero point) or float.</param>
    /// <exception cref="ArgumentException">Invalid preprocessing, an input shape that is not its tensor, bad quantization params.</exception>
    public FramePreprocessor(ImagePreprocessing preprocessing, BackendInput input)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(input);
        preprocessing.Validate();
        Layout = ImageInputShape.LayoutOf(input, preprocessing);
        Preprocessing = preprocessing;
        Input = input;
        if (input.IsInt8) _int8 = new Int8ImagePreprocessor(preprocessing, input.Scale, input.ZeroPoint, Layout);
        else _float = new FloatImagePreprocessor(preprocessing, Layout);
        _converter = new FrameImageConverter(gray: preprocessing.Channels == 1 || preprocessing.Grayscale);
    }

    /// <summary>For a backend: its input's preprocessing completed from <paramref name="settings"/> (a preset, or the
    /// default stretch with pixel / 255 when null).</summary>
    /// <exception cref="ArgumentException">As <see cref="ImageInputShape.Complete"/>.</exception>
    public static FramePreprocessor For(IInferenceBackend backend, ImagePreprocessing? settings = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new FramePreprocessor(ImageInputShape.Complete(backend.Input, settings), backend.Input);
    }

    public ImagePreprocessing Preprocessing { get; }

    public BackendInput Input { get; }

    public ImageTensorLayout Layout { get; }

    /// <summary>Preprocesses <paramref name="frame"/> into the backend's input (<see cref="IInferenceBackend.InputInt8"/>
    /// or <see cref="IInferenceBackend.InputFloat"/>, as the input type says).</summary>
    /// <exception cref="HardwareException">The frame cannot be read (see <see cref="Run(in Frame, Span{sbyte})"/>).</exception>
    /// <exception cref="ArgumentException">The backend's input is not the one this preprocessor was made for.</exception>
    public void Write(in Frame frame, IInferenceBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var input = backend.Input;
        if (!ReferenceEquals(input, Input) && (input.IsInt8 != Input.IsInt8 || !input.Shape.AsSpan().SequenceEqual(Input.Shape)
            || (input.IsInt8 && (input.Scale != Input.Scale || input.ZeroPoint != Input.ZeroPoint))))
            throw new ArgumentException($"backend '{backend.Name}' input '{input.Name}' is not the input '{Input.Name}' this preprocessor was made for", nameof(backend));
        if (_int8 is not null) Run(frame, backend.InputInt8());
        else Run(frame, backend.InputFloat());
    }

    /// <summary>Writes the int8 codes of <paramref name="frame"/> into <paramref name="destination"/> (every element).</summary>
    /// <exception cref="HardwareException">An unsupported pixel format, a frame shorter than its rows need, or an
    /// encoded frame that does not decode; the message names the frame and the sizes.</exception>
    /// <exception cref="InvalidOperationException">The input takes floats.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not the tensor's size.</exception>
    public void Run(in Frame frame, Span<sbyte> destination)
    {
        if (_int8 is null) throw new InvalidOperationException($"input '{Input.Name}' takes floats, not int8 codes");
        _int8.Run(_converter.Convert(frame), destination);
    }

    /// <summary>Writes the float tensor of <paramref name="frame"/> into <paramref name="destination"/> (every element).</summary>
    /// <exception cref="HardwareException">As <see cref="Run(in Frame, Span{sbyte})"/>.</exception>
    /// <exception cref="InvalidOperationException">The input takes int8 codes.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not the tensor's size.</exception>
    public void Run(in Frame frame, Span<float> destination)
    {
        if (_float is null) throw new InvalidOperationException($"input '{Input.Name}' takes int8 codes, not floats");
        _float.Run(_converter.Convert(frame), destination);
    }
}
