using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// An open V4L2 device node, one method per system call the capture code makes. Every method returns 0 on success or
/// the errno of the failure, like the kernel interface, so <see cref="V4l2FrameSource"/> decides what each error
/// means. <see cref="LinuxV4l2Device"/> makes the real calls; tests substitute a fake that emulates a driver.
/// Dispose closes the descriptor.
/// </summary>
internal interface IV4l2Device : IDisposable
{
    int QueryCapability(out V4l2Capability capability);

    int EnumerateFormat(ref V4l2FmtDesc description);

    int SetFormat(ref V4l2Format format);

    int RequestBuffers(ref V4l2RequestBuffers request);

    int QueryBuffer(ref V4l2Buffer buffer);

    int QueueBuffer(ref V4l2Buffer buffer);

    int DequeueBuffer(ref V4l2Buffer buffer);

    int StreamOn(uint bufferType);

    int StreamOff(uint bufferType);

    /// <summary>Maps a buffer (shared, read/write) at the offset VIDIOC_QUERYBUF gave.</summary>
    int Map(uint offset, uint length, out nint address);

    int Unmap(nint address, uint length);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for the descriptor to become readable;
    /// <paramref name="returnedEvents"/> is 0 on timeout.</summary>
    int Poll(int timeoutMilliseconds, out short returnedEvents);
}
