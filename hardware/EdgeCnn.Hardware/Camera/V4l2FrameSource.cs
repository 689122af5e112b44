using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Camera;

/// <summary>
/// A V4L2 camera (/dev/videoN) captured with memory-mapped streaming: QUERYCAP, ENUM_FMT, S_FMT (YUYV or MJPEG),
/// REQBUFS, QUERYBUF + mmap per buffer, QBUF all, STREAMON; each capture polls and dequeues one buffer and returns a
/// frame over the mapped memory, which is re-queued at the next capture. Dispose stops streaming, unmaps, frees the
/// buffers and closes the device, also after a failed open or a failed capture.
/// </summary>
/// <remarks>
/// Errors are <see cref="HardwareException"/>s naming the device, the call and the errno. After a dequeue error (EIO:
/// the driver lost the stream) the next capture restarts streaming, so the pipeline's retry can recover without
/// reopening; a vanished device (ENODEV) or a stream that cannot be restarted is closed and opened again at the next
/// capture. Not thread-safe: one capture at a time, as the pipeline does.
/// </remarks>
public sealed class V4l2FrameSource : IFrameSource
{
    private const int PollSliceMilliseconds = 100;

    private readonly V4l2CameraOptions _options;
    private readonly Func<string, IV4l2Device> _openDevice;
    private readonly TimeProvider _time;
    private IV4l2Device? _device;
    private MappedBuffer[] _buffers = [];
    private bool _buffersRequested;
    private bool _streaming;
    private bool _restartStreaming;
    private bool _reopenDevice;
    private bool _opened;
    private int _heldBuffer = -1;
    private bool _disposed;
    private string _description;

    public V4l2FrameSource(V4l2CameraOptions options)
        : this(options, LinuxV4l2Device.Open, TimeProvider.System)
    {
    }

    internal V4l2FrameSource(V4l2CameraOptions options, Func<string, IV4l2Device> openDevice, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DevicePath))
            throw new ArgumentException("V4L2 camera: the device path is empty.", nameof(options));
        if (options.Width <= 0 || options.Height <= 0)
            throw new ArgumentException($"Camera {options.DevicePath}: the requested size {options.Width}x{options.Height} is not positive.", nameof(options));
        if (options.BufferCount is < 2 or > 32)
            throw new ArgumentException($"Camera {options.DevicePath}: BufferCount {options.BufferCount} is outside 2..32.", nameof(options));
        if (options.PreferredFormat is not (null or PixelFormat.Yuyv or PixelFormat.Mjpeg))
            throw new ArgumentException($"Camera {options.DevicePath}: PreferredFormat {options.PreferredFormat} is not a V4L2 capture format (Yuyv or Mjpeg).", nameof(options));
        if (options.EffectiveCaptureTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Camera {options.DevicePath}: CaptureTimeout must be positive.", nameof(options));
        _options = options;
        _openDevice = openDevice;
        _time = time;
        _description = $"v4l2:{options.DevicePath}";
    }

    public string Description => _description;

    public FrameFormat Format { get; private set; }

    /// <summary>The driver's card name from VIDIOC_QUERYCAP (for the startup summary); empty before Open.</summary>
    public string CardName { get; private set; } = "";

    /// <summary>Buffers granted by the driver (valid after Open).</summary>
    public int BufferCount => _buffers.Length;

    /// <summary>Frames dequeued and dropped: flagged as errored by the driver, empty or shorter than the format.</summary>
    public long CorruptFrames { get; private set; }

    /// <summary>Frames that were already waiting when a capture started and were discarded as stale.</summary>
    public long StaleFrames { get; private set; }

    private string Device => _options.DevicePath;

    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_opened)
            throw new InvalidOperationException($"Camera {Device} is already open.");
        OpenDevice();
        _opened = true;
    }

    /// <summary>Open's work; on failure everything acquired so far is released again.</summary>
    private void OpenDevice()
    {
        try
        {
            _device = _openDevice(Device);
            CheckCapabilities(_device);
            Negotiate(_device);
            MapBuffers(_device);
            StartStreaming(_device);
        }
        catch
        {
            Release();
            throw;
        }
    }

    public Frame Capture(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_opened)
            throw new InvalidOperationException($"Camera {Device}: Capture before Open.");
        cancellationToken.ThrowIfCancellationRequested();

        if (_reopenDevice)
        {
            // The descriptor is dead (device unplugged, or restarting the stream failed): start over, which also
            // picks the camera up again once it is plugged back in. Until then each capture reports why it fails.
            Release();
            OpenDevice();
            _reopenDevice = false;
        }
        IV4l2Device device = _device ?? throw new InvalidOperationException($"Camera {Device}: the device is not open.");

        if (_restartStreaming)
        {
            try
            {
                RestartStreaming(device);
            }
            catch (HardwareException)
            {
                _reopenDevice = true;
                throw;
            }
        }
        else
            RequeueHeldBuffer(device);
        if (_options.DiscardStaleFrames)
            DiscardWaitingFrames(device);

        TimeSpan timeout = _options.EffectiveCaptureTimeout;
        long start = _time.GetTimestamp();
        long droppedHere = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan remaining = timeout - _time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
                break;
            int slice = (int)Math.Clamp(Math.Ceiling(remaining.TotalMilliseconds), 1, PollSliceMilliseconds);
            int error = device.Poll(slice, out short events);
            if (error == Errno.EINTR)
                continue;
            if (error != 0)
                throw Failure("poll", error);
            if (events == 0)
                continue;

            if (TryDequeue(device, out V4l2Buffer buffer))
            {
                if (IsUsable(buffer))
                {
                    _heldBuffer = (int)buffer.Index;
                    MappedBuffer mapped = _buffers[buffer.Index];
                    return new Frame(Format, mapped.Memory[..(int)buffer.BytesUsed], buffer.Sequence, _time.GetUtcNow());
                }
                CorruptFrames++;
                droppedHere++;
                Requeue(device, buffer.Index);
                continue;
            }
            if ((events & (PollFd.Error | PollFd.HangUp | PollFd.Invalid)) != 0)
            {
                _restartStreaming = true;
                throw new HardwareException($"Camera {Device}: poll reported {DescribeEvents(events)} while streaming (the device stopped the stream or was disconnected).");
            }
        }
        string dropped = droppedHere > 0 ? $"; {droppedHere} frame(s) arrived but were corrupt or short" : "";
        throw new HardwareException($"Camera {Device}: no frame within {timeout.TotalSeconds:0.###} s{dropped}.");
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Release();
    }

    private void CheckCapabilities(IV4l2Device device)
    {
        int error = device.QueryCapability(out V4l2Capability capability);
        if (error == Errno.ENOTTY)
            throw new HardwareException($"Camera {Device}: not a V4L2 device (VIDIOC_QUERYCAP failed: {Errno.Describe(error)}).");
        // qemu-user answers ioctls it does not forward with ENOSYS; a real kernel never does for V4L2.
        if (error == Errno.ENOSYS)
            throw new HardwareException($"Camera {Device}: VIDIOC_QUERYCAP failed: {Errno.Describe(error)} (the ioctl is not passed to the kernel: running under an emulator such as qemu-user?).");
        if (error != 0)
            throw Failure("VIDIOC_QUERYCAP", error);
        CardName = capability.CardName;
        uint caps = capability.NodeCapabilities;
        string identity = $"Camera {Device} ({capability.CardName}, driver {capability.DriverName})";
        if ((caps & V4l2Constants.CapVideoCapture) == 0)
        {
            string why = (caps & V4l2Constants.CapVideoCaptureMultiplanar) != 0
                ? "it is a multi-planar capture node, which is not supported (on a Raspberry Pi camera module use the 'rpicam' camera)"
                : "other /dev/videoN nodes of the same camera are often metadata, codec or ISP nodes";
            throw new HardwareException($"{identity} is not a video capture device (capabilities 0x{caps:x8}): {why}.");
        }
        if ((caps & V4l2Constants.CapStreaming) == 0)
            throw new HardwareException($"{identity} does not support streaming I/O (capabilities 0x{caps:x8}).");
    }

    private void Negotiate(IV4l2Device device)
    {
        var offered = new List<uint>();
        for (uint index = 0; index < 256; index++)
        {
            var description = new V4l2FmtDesc { Index = index, Type = V4l2Constants.BufferTypeVideoCapture };
            int error = device.EnumerateFormat(ref description);
            if (error == Errno.EINVAL)
                break;
            if (error != 0)
                throw Failure("VIDIOC_ENUM_FMT", error);
            offered.Add(description.PixelFormat);
        }
        string offeredText = offered.Count == 0 ? "none" : string.Join(", ", offered.Select(FourCc.ToText));
        List<uint> candidates = V4l2FormatChoice.Candidates(offered, _options.PreferredFormat);
        if (candidates.Count == 0)
            throw new HardwareException($"Camera {Device} offers no YUYV or MJPEG format (it offers: {offeredText}).");

        var refusals = new List<string>();
        foreach (uint fourcc in candidates)
        {
            var format = new V4l2Format { Type = V4l2Constants.BufferTypeVideoCapture };
            format.Pix.Width = (uint)_options.Width;
            format.Pix.Height = (uint)_options.Height;
            format.Pix.PixelFormat = fourcc;
            format.Pix.Field = V4l2Constants.FieldAny;
            int error = device.SetFormat(ref format);
            if (error == Errno.EINVAL)
            {
                refusals.Add($"{FourCc.ToText(fourcc)}: {Errno.Name(error)}");
                continue;
            }
            if (error == Errno.EBUSY)
                throw new HardwareException($"Camera {Device}: VIDIOC_S_FMT failed: {Errno.Describe(error)} (the camera is streaming for another process).");
            if (error != 0)
                throw Failure("VIDIOC_S_FMT", error);

            // The driver may substitute another format; only a usable one is accepted.
            PixelFormat? granted = V4l2FormatChoice.ToPixelFormat(format.Pix.PixelFormat);
            if (granted is null)
            {
                refusals.Add($"{FourCc.ToText(fourcc)}: driver switched to {FourCc.ToText(format.Pix.PixelFormat)}");
                continue;
            }
            Format = ToFrameFormat(format.Pix, granted.Value);
            _description = $"v4l2:{Device} {Format} ({CardName})";
            return;
        }
        throw new HardwareException($"Camera {Device} refused every usable format at {_options.Width}x{_options.Height} ({string.Join("; ", refusals)}; it offers: {offeredText}).");
    }

    private FrameFormat ToFrameFormat(V4l2PixFormat pix, PixelFormat pixelFormat)
    {
        if (pix.Width == 0 || pix.Height == 0 || pix.Width > 16384 || pix.Height > 16384)
            throw new HardwareException($"Camera {Device}: VIDIOC_S_FMT returned an unusable size {pix.Width}x{pix.Height}.");
        int width = (int)pix.Width, height = (int)pix.Height;
        if (pixelFormat != PixelFormat.Yuyv)
            return new FrameFormat(width, height, pixelFormat, 0);
        // YUYV is 2 bytes per pixel; a driver leaving bytesperline at 0 means tightly packed rows.
        uint minimum = pix.Width * 2;
        uint bytesPerLine = pix.BytesPerLine == 0 ? minimum : pix.BytesPerLine;
        if (bytesPerLine < minimum || bytesPerLine > 65536)
            throw new HardwareException($"Camera {Device}: VIDIOC_S_FMT returned bytesperline {pix.BytesPerLine} for {width}-pixel YUYV rows (at least {minimum} needed).");
        return new FrameFormat(width, height, pixelFormat, (int)bytesPerLine);
    }

    private void MapBuffers(IV4l2Device device)
    {
        var request = new V4l2RequestBuffers
        {
            Count = (uint)_options.BufferCount,
            Type = V4l2Constants.BufferTypeVideoCapture,
            Memory = V4l2Constants.MemoryMmap,
        };
        int error = device.RequestBuffers(ref request);
        if (error == Errno.EINVAL)
            throw new HardwareException($"Camera {Device} does not support memory-mapped streaming (VIDIOC_REQBUFS failed: {Errno.Describe(error)}).");
        if (error != 0)
            throw Failure("VIDIOC_REQBUFS", error);
        _buffersRequested = true;
        if (request.Count < 2)
            throw new HardwareException($"Camera {Device}: VIDIOC_REQBUFS granted {request.Count} buffer(s) of the {_options.BufferCount} asked; at least 2 are needed (out of buffer memory?).");
        if (request.Count > 64)
            throw new HardwareException($"Camera {Device}: VIDIOC_REQBUFS claims {request.Count} buffers for {_options.BufferCount} asked.");

        var buffers = new List<MappedBuffer>((int)request.Count);
        try
        {
            for (uint index = 0; index < request.Count; index++)
            {
                var buffer = new V4l2Buffer { Index = index, Type = V4l2Constants.BufferTypeVideoCapture, Memory = V4l2Constants.MemoryMmap };
                error = device.QueryBuffer(ref buffer);
                if (error != 0)
                    throw Failure($"VIDIOC_QUERYBUF (buffer {index})", error);
                if (buffer.Length == 0 || buffer.Length > int.MaxValue)
                    throw new HardwareException($"Camera {Device}: VIDIOC_QUERYBUF gave buffer {index} a length of {buffer.Length} bytes.");
                error = device.Map(buffer.Offset, buffer.Length, out nint address);
                if (error != 0)
                    throw Failure($"mmap (buffer {index}, {buffer.Length} bytes)", error);
                buffers.Add(new MappedBuffer(address, (int)buffer.Length, $"v4l2:{Device}"));
            }
        }
        finally
        {
            // Whatever got mapped is recorded so Release unmaps it, also when a later buffer failed.
            _buffers = [.. buffers];
        }
    }

    private void StartStreaming(IV4l2Device device)
    {
        for (uint index = 0; index < _buffers.Length; index++)
            Requeue(device, index);
        int error = device.StreamOn(V4l2Constants.BufferTypeVideoCapture);
        if (error != 0)
            throw Failure("VIDIOC_STREAMON", error);
        _streaming = true;
    }

    /// <summary>STREAMOFF returns every buffer to the application; all are queued again and streaming restarts.</summary>
    private void RestartStreaming(IV4l2Device device)
    {
        int error = device.StreamOff(V4l2Constants.BufferTypeVideoCapture);
        if (error != 0)
            throw Failure("VIDIOC_STREAMOFF (restarting the stream)", error);
        _streaming = false;
        _heldBuffer = -1;
        StartStreaming(device);
        _restartStreaming = false;
    }

    private void RequeueHeldBuffer(IV4l2Device device)
    {
        if (_heldBuffer < 0)
            return;
        uint index = (uint)_heldBuffer;
        _heldBuffer = -1;
        Requeue(device, index);
    }

    /// <summary>Dequeues and re-queues what is already filled: those frames were taken before this capture began.</summary>
    private void DiscardWaitingFrames(IV4l2Device device)
    {
        // Bounded: a fast camera could keep filling buffers while they are drained.
        for (int i = 0; i < _buffers.Length * 2; i++)
        {
            if (!TryDequeue(device, out V4l2Buffer buffer))
                return;
            StaleFrames++;
            Requeue(device, buffer.Index);
        }
    }

    private bool TryDequeue(IV4l2Device device, out V4l2Buffer buffer)
    {
        buffer = new V4l2Buffer { Type = V4l2Constants.BufferTypeVideoCapture, Memory = V4l2Constants.MemoryMmap };
        int error = device.DequeueBuffer(ref buffer);
        if (error is Errno.EAGAIN or Errno.EINTR)
            return false;
        if (error != 0)
        {
            _restartStreaming = true;
            throw Failure("VIDIOC_DQBUF", error);
        }
        if (buffer.Index >= _buffers.Length)
        {
            _restartStreaming = true;
            throw new HardwareException($"Camera {Device}: VIDIOC_DQBUF returned buffer index {buffer.Index}, but only {_buffers.Length} buffers exist.");
        }
        return true;
    }

    private bool IsUsable(in V4l2Buffer buffer)
    {
        if ((buffer.Flags & V4l2Constants.BufferFlagError) != 0 || buffer.BytesUsed == 0)
            return false;
        if (buffer.BytesUsed > _buffers[buffer.Index].Length)
            return false;
        // A YUYV frame shorter than its rows would make the converter read past the data.
        return Format.PixelFormat != PixelFormat.Yuyv || buffer.BytesUsed >= (long)Format.BytesPerLine * Format.Height;
    }

    private void Requeue(IV4l2Device device, uint index)
    {
        var buffer = new V4l2Buffer { Index = index, Type = V4l2Constants.BufferTypeVideoCapture, Memory = V4l2Constants.MemoryMmap };
        int error = device.QueueBuffer(ref buffer);
        if (error != 0)
        {
            _restartStreaming = true;
            throw Failure($"VIDIOC_QBUF (buffer {index})", error);
        }
    }

    /// <summary>Stops streaming, unmaps, frees the buffers and closes the device; every step runs even if one before
    /// it fails, and errors are not thrown (this runs on shutdown and on failure paths).</summary>
    private void Release()
    {
        IV4l2Device? device = _device;
        if (device is null)
            return;
        _device = null;
        try
        {
            if (_streaming)
                device.StreamOff(V4l2Constants.BufferTypeVideoCapture);
        }
        finally
        {
            _streaming = false;
            _heldBuffer = -1;
            _restartStreaming = false;
            try
            {
                foreach (MappedBuffer buffer in _buffers)
                {
                    nint address = buffer.Address;
                    buffer.Invalidate();
                    device.Unmap(address, (uint)buffer.Length);
                }
                if (_buffersRequested)
                {
                    // Count 0 frees the driver's buffers; it must come after munmap.
                    var free = new V4l2RequestBuffers { Count = 0, Type = V4l2Constants.BufferTypeVideoCapture, Memory = V4l2Constants.MemoryMmap };
                    device.RequestBuffers(ref free);
                }
            }
            finally
            {
                _buffers = [];
                _buffersRequested = false;
                device.Dispose();
            }
        }
    }

    private HardwareException Failure(string call, int errno)
    {
        // A vanished device cannot be restarted, only opened again.
        if (errno == Errno.ENODEV)
            _reopenDevice = true;
        string hint = errno switch
        {
            Errno.ENODEV => " (the camera was disconnected)",
            Errno.EBUSY => " (the camera is in use by another process)",
            _ => "",
        };
        return new HardwareException($"Camera {Device}: {call} failed: {Errno.Describe(errno)}{hint}.");
    }

    private static string DescribeEvents(short events)
    {
        var names = new List<string>();
        if ((events & PollFd.Error) != 0) names.Add("POLLERR");
        if ((events & PollFd.HangUp) != 0) names.Add("POLLHUP");
        if ((events & PollFd.Invalid) != 0) names.Add("POLLNVAL");
        return string.Join("|", names);
    }
}
