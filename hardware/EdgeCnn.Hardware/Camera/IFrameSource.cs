namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// A camera or a stand-in for one (V4L2 device, rpicam-still subprocess, a folder of images). Open once at startup,
/// capture on each trigger, dispose on shutdown (streaming stopped, buffers unmapped, the device closed).
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The source as the user wrote it plus what was negotiated, e.g. "v4l2:/dev/video0 640x480 Yuyv".</summary>
    string Description { get; }

    /// <summary>The negotiated format (valid after <see cref="Open"/>).</summary>
    FrameFormat Format { get; }

    /// <summary>Opens the device and negotiates the format.</summary>
    /// <exception cref="HardwareException">The device is missing, busy, not a capture device or supports no usable format.</exception>
    void Open();

    /// <summary>Blocks until the next frame is available and returns it (see <see cref="Frame"/> for its lifetime).</summary>
    /// <exception cref="HardwareException">The capture failed; the pipeline retries with backoff.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Frame Capture(CancellationToken cancellationToken);
}
