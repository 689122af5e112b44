using EdgeCnn.Runtime.Preprocessing;

namespace EdgeCnn.Hardware.Preprocessing;

/// <summary>
/// Turns each resampled byte into its normalized float at the element's NCHW or NHWC place. The value comes from a
/// 256-entry table per output channel holding (b/255 − mean[c])/std[c] evaluated in float32 exactly as
/// <see cref="ImagePreprocessor"/> evaluates it, so the tensor equals that path's, element for element. A gray source
/// feeds every output channel; a color source feeds its own channel, swapped for BGR.
/// </summary>
internal ref struct FloatPixelSink : IResizedPixelSink
{
    private readonly Span<float> _destination;
    private readonly ReadOnlySpan<float> _values;
    private readonly int _outputChannels;
    private readonly int _rowStride, _pixelStride, _channelStride;
    private readonly bool _broadcast, _bgr;

    /// <param name="values">Output channel c's value for byte b at [c · 256 + b].</param>
    public FloatPixelSink(Span<float> destination, ReadOnlySpan<float> values, int height, int width, int outputChannels,
        ImageTensorLayout layout, bool graySource, bool bgr)
    {
        _destination = destination;
        _values = values;
        _outputChannels = outputChannels;
        (_rowStride, _pixelStride, _channelStride) = layout == ImageTensorLayout.Nchw
            ? (width, 1, height * width)
            : (width * outputChannels, outputChannels, 1);
        _broadcast = graySource;
        _bgr = bgr && !graySource;
    }

    public void Write(int y, int x, int channel, byte value)
    {
        int at = y * _rowStride + x * _pixelStride;
        if (_broadcast)
        {
            for (int c = 0; c < _outputChannels; c++) _destination[at + c * _channelStride] = _values[(c << 8) + value];
            return;
        }
        int output = _bgr ? 2 - channel : channel;
        _destination[at + output * _channelStride] = _values[(output << 8) + value];
    }
}
