namespace EdgeCnn.Hardware.Camera;

/// <summary>What to ask a V4L2 camera for.</summary>
/// <param name="DevicePath">The node, e.g. /dev/video0.</param>
/// <param name="Width">Requested width; the driver may adjust it and the adjusted size is used.</param>
/// <param name="Height">Requested height (adjusted likewise).</param>
/// <param name="PreferredFormat"><see cref="PixelFormat.Yuyv"/> or <see cref="PixelFormat.Mjpeg"/>; when the device does
/// not offer it, or null, the first of the two in the device's own order is used.</param>
/// <param name="BufferCount">Buffers to request; the driver may grant fewer (at least 2 are required).</param>
/// <param name="CaptureTimeout">How long <see cref="IFrameSource.Capture"/> waits for a frame before failing.</param>
/// <param name="DiscardStaleFrames">Drop frames already waiting when a capture starts, so a trigger gets an image
/// taken after it rather than one left in the queue since the previous trigger.</param>
public sealed record V4l2CameraOptions(
    string DevicePath,
    int Width = 640,
    int Height = 480,
    PixelFormat? PreferredFormat = null,
    int BufferCount = 4,
    TimeSpan? CaptureTimeout = null,
    bool DiscardStaleFrames = true)
{
    public static readonly TimeSpan DefaultCaptureTimeout = TimeSpan.FromSeconds(5);

    public TimeSpan EffectiveCaptureTimeout => CaptureTimeout ?? DefaultCaptureTimeout;
}
