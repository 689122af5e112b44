namespace EdgeCnn.Runtime.Preprocessing;

/// <summary>
/// Where a resampler puts each output pixel: the byte of source channel <c>channel</c> at (<c>y</c>, <c>x</c>) of the
/// window. The resamplers are generic over the sink, so the JIT specializes each loop for it: the same resampling
/// code fills a byte image (<see cref="InterleavedPixelSink"/>) or writes the final tensor element directly
/// (<see cref="QuantizingPixelSink"/>), with no intermediate image.
/// </summary>
public interface IResizedPixelSink
{
    void Write(int y, int x, int channel, byte value);
}

/// <summary>Collects the window as an interleaved (HWC) byte image.</summary>
internal readonly struct InterleavedPixelSink(byte[] pixels, int width, int channels) : IResizedPixelSink
{
    public void Write(int y, int x, int channel, byte value) => pixels[(y * width + x) * channels + channel] = value;
}
