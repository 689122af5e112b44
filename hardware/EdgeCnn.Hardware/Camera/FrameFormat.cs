namespace EdgeCnn.Hardware.Camera;

/// <summary>The negotiated format of a frame source. For <see cref="PixelFormat.Mjpeg"/> and
/// <see cref="PixelFormat.EncodedFile"/> the size is the nominal one (0×0 when unknown before decoding) and
/// <see cref="BytesPerLine"/> is 0.</summary>
public readonly record struct FrameFormat(int Width, int Height, PixelFormat PixelFormat, int BytesPerLine)
{
    public override string ToString() => Width > 0 ? $"{Width}x{Height} {PixelFormat}" : PixelFormat.ToString();
}
