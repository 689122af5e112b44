namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// A captured frame. <see cref="Data"/> belongs to the source (a V4L2 mmap buffer, a reused array) and stays valid
/// only until the next <see cref="IFrameSource.Capture"/> or the source's disposal: consume or copy it first.
/// <see cref="Data"/>'s length is the frame's used byte count (V4L2 bytesused), which for MJPEG varies per frame.
/// </summary>
public readonly record struct Frame(FrameFormat Format, ReadOnlyMemory<byte> Data, long Sequence, DateTimeOffset Timestamp, string? Name = null);
