namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>
/// Turns each resampled byte straight into the int8 code of its tensor element: the code comes from a 256-entry
/// table per output channel (a byte has only 256 values, so normalization and quantization are tabulated once),
/// and lands at the element's NCHW or NHWC place. A gray source feeds every output channel; a color source feeds
/// its own channel, swapped for BGR.
/// </summary>
internal ref struct QuantizingPixelSink : IResizedPixelSink
{
    private readonly Span<sbyte> _destination;
    private readonly ReadOnlySpan<sbyte> _codes;
    private readonly int _outputChannels;
    private readonly int _rowStride, _pixelStride, _channelStride;
    private readonly bool _broadcast, _bgr;

    /// <param name="codes">Output channel c's code for byte b at [c · 256 + b].</param>
    public QuantizingPixelSink(Span<sbyte> destination, ReadOnlySpan<sbyte> codes, int height, int width, int outputChannels,
        ImageTensorLayout layout, bool graySource, bool bgr)
    {
        _destination = destination;
        _codes = codes;
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
            for (int c = 0; c < _outputChannels; c++) _destination[at + c * _channelStride] = _codes[(c << 8) + value];
            return;
        }
        int output = _bgr ? 2 - channel : channel;
        _destination[at + output * _channelStride] = _codes[(output << 8) + value];
    }
}
