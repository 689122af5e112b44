using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Camera;

/// <summary>The real <see cref="IV4l2Device"/>: a non-blocking descriptor on /dev/videoN and the libc calls.</summary>
internal sealed unsafe class LinuxV4l2Device : IV4l2Device
{
    private int _fd;

    private LinuxV4l2Device(int fd) => _fd = fd;

    /// <summary>Opens the node read/write, non-blocking (waiting happens in poll, where it can be cancelled) and
    /// close-on-exec.</summary>
    /// <exception cref="HardwareException">The node is missing, not accessible or busy; the message says which.</exception>
    public static IV4l2Device Open(string path)
    {
        V4l2Abi.EnsureSupported(path);
        int fd = Libc.Open(path, OpenFlags.ReadWrite | OpenFlags.NonBlocking | OpenFlags.CloseOnExec);
        if (fd < 0)
        {
            int errno = Errno.Last();
            string hint = errno switch
            {
                Errno.ENOENT => " (no such device: is the camera connected? `ls /dev/video*` lists the nodes)",
                Errno.EACCES or Errno.EPERM => " (permission denied: add the user to the 'video' group)",
                Errno.EBUSY => " (the camera is in use by another process)",
                _ => "",
            };
            throw new HardwareException($"Camera {path}: open failed: {Errno.Describe(errno)}{hint}.");
        }
        return new LinuxV4l2Device(fd);
    }

    public int QueryCapability(out V4l2Capability capability)
    {
        capability = default;
        fixed (V4l2Capability* p = &capability) return Call(V4l2Ioctl.QueryCapability, p);
    }

    public int EnumerateFormat(ref V4l2FmtDesc description)
    {
        fixed (V4l2FmtDesc* p = &description) return Call(V4l2Ioctl.EnumFormat, p);
    }

    public int SetFormat(ref V4l2Format format)
    {
        fixed (V4l2Format* p = &format) return Call(V4l2Ioctl.SetFormat, p);
    }

    public int RequestBuffers(ref V4l2RequestBuffers request)
    {
        fixed (V4l2RequestBuffers* p = &request) return Call(V4l2Ioctl.RequestBuffers, p);
    }

    public int QueryBuffer(ref V4l2Buffer buffer)
    {
        fixed (V4l2Buffer* p = &buffer) return Call(V4l2Ioctl.QueryBuffer, p);
    }

    public int QueueBuffer(ref V4l2Buffer buffer)
    {
        fixed (V4l2Buffer* p = &buffer) return Call(V4l2Ioctl.QueueBuffer, p);
    }

    public int DequeueBuffer(ref V4l2Buffer buffer)
    {
        fixed (V4l2Buffer* p = &buffer) return Call(V4l2Ioctl.DequeueBuffer, p);
    }

    public int StreamOn(uint bufferType)
    {
        int type = (int)bufferType;
        return Call(V4l2Ioctl.StreamOn, &type);
    }

    public int StreamOff(uint bufferType)
    {
        int type = (int)bufferType;
        return Call(V4l2Ioctl.StreamOff, &type);
    }

    public int Map(uint offset, uint length, out nint address)
    {
        void* mapped = Libc.Mmap(null, length, MemoryMapping.ProtectRead | MemoryMapping.ProtectWrite, MemoryMapping.Shared, _fd, offset);
        if (mapped == MemoryMapping.Failed)
        {
            address = 0;
            return Errno.Last();
        }
        address = (nint)mapped;
        return 0;
    }

    public int Unmap(nint address, uint length) => Libc.Munmap((void*)address, length) == 0 ? 0 : Errno.Last();

    public int Poll(int timeoutMilliseconds, out short returnedEvents)
    {
        var descriptor = new PollFd { Fd = _fd, Events = PollFd.In };
        int result = Libc.Poll(&descriptor, 1, timeoutMilliseconds);
        returnedEvents = result > 0 ? descriptor.ReturnedEvents : (short)0;
        return result < 0 ? Errno.Last() : 0;
    }

    public void Dispose()
    {
        if (_fd < 0)
            return;
        // close(2) must not be retried on EINTR on Linux (the descriptor is already released), so one call.
        Libc.Close(_fd);
        _fd = -1;
    }

    /// <summary>One ioctl, repeated while a signal interrupts it.</summary>
    private int Call(uint request, void* argument)
    {
        if (_fd < 0)
            return Errno.EBADF;
        while (true)
        {
            if (Libc.Ioctl(_fd, request, argument) >= 0)
                return 0;
            int errno = Errno.Last();
            if (errno != Errno.EINTR)
                return errno;
        }
    }
}
