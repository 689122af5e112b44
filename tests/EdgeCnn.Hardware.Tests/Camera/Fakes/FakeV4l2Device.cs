using System.Runtime.InteropServices;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Tests.Camera.Fakes;

/// <summary>
/// Emulates a V4L2 capture driver with mmap streaming: the formats it offers, size adjustment in S_FMT, buffer
/// allocation, the queued → done → dequeued cycle (a poll on a queued buffer "captures" it), STREAMOFF returning every
/// buffer, and scripted failures. It records every call and every protocol violation (queueing a buffer the
/// application does not own, unmapping an unknown address, calls after close) so tests can check the buffer
/// bookkeeping of <see cref="V4l2FrameSource"/>. Buffer memory is native (NativeMemory), like a real mapping.
/// </summary>
internal sealed unsafe class FakeV4l2Device : IV4l2Device
{
    public enum BufferState { Application, Queued, Done }

    public static readonly uint Yuyv = FourCc.From("YUYV");
    public static readonly uint Mjpg = FourCc.From("MJPG");
    public static readonly uint H264 = FourCc.From("H264");

    private readonly List<FakeBuffer> _buffers = [];
    private readonly List<int> _done = [];
    private V4l2PixFormat _format;

    public FakeV4l2Device(FakeClock clock) => Clock = clock;

    public FakeClock Clock { get; }

    // ---- driver behaviour (set by the test before opening) ----
    public uint Capabilities { get; set; } = V4l2Constants.CapVideoCapture | V4l2Constants.CapStreaming | V4l2Constants.CapDeviceCaps;
    public List<uint> Formats { get; set; } = [Yuyv, Mjpg];
    public Dictionary<uint, int> SetFormatErrors { get; } = [];
    public (uint Width, uint Height)? AdjustSizeTo { get; set; }
    public uint? SubstituteFormat { get; set; }
    public uint MaxBuffers { get; set; } = 8;
    public int? MapFailsAtBuffer { get; set; }
    public int StreamOnError { get; set; }
    public int StreamOffError { get; set; }

    /// <summary>Buffers completed at STREAMON: frames that will be stale by the time a capture asks.</summary>
    public int FramesCompletedAtStreamOn { get; set; }

    /// <summary>Errnos for the next DQBUF calls (0 = behave normally).</summary>
    public Queue<int> DequeueErrors { get; } = new();

    /// <summary>v4l2_buffer flags for the next completed frames.</summary>
    public Queue<uint> FrameFlags { get; } = new();

    /// <summary>When set, poll never reports a frame (the camera stalled).</summary>
    public bool Stalled { get; set; }

    /// <summary>When set, poll reports POLLERR and no frame (the driver stopped the stream).</summary>
    public bool StreamBroken { get; set; }

    public Action<int>? OnPoll { get; set; }

    public TimeSpan FramePeriod { get; set; } = TimeSpan.FromMilliseconds(33);

    // ---- observations ----
    public bool RecordCalls { get; set; } = true;
    public List<string> Calls { get; } = [];
    public List<string> Violations { get; } = [];
    public bool Streaming { get; private set; }
    public int CloseCount { get; private set; }
    public int StreamOnCount { get; private set; }
    public int StreamOffCount { get; private set; }
    public int MappedCount => _buffers.Count(b => b.Address != 0);
    public int BufferCount => _buffers.Count;
    public int PollCount { get; private set; }
    public uint NextSequence { get; private set; }
    public V4l2PixFormat CurrentFormat => _format;

    public IReadOnlyList<BufferState> States => _buffers.Select(b => b.State).ToList();

    public int CountIn(BufferState state) => _buffers.Count(b => b.State == state);

    /// <summary>The byte the fake writes at <paramref name="offset"/> of the frame with <paramref name="sequence"/>.</summary>
    public static byte ExpectedByte(uint sequence, int offset) => (byte)(sequence * 31 + offset * 7 + 3);

    /// <summary>The bytes used by frame <paramref name="sequence"/>: the full image for YUYV, a varying length for MJPEG.</summary>
    public int BytesUsedFor(uint sequence) =>
        _format.PixelFormat == Yuyv ? (int)(_format.BytesPerLine * _format.Height) : (int)Math.Min(_format.SizeImage, 500 + sequence * 13);

    public int QueryCapability(out V4l2Capability capability)
    {
        capability = default;
        if (!Enter("QUERYCAP"))
            return Errno.EBADF;
        capability.Capabilities = Capabilities | V4l2Constants.CapDeviceCaps;
        capability.DeviceCaps = Capabilities;
        fixed (byte* card = capability.Card)
            WriteText(card, 32, "Fake Camera");
        fixed (byte* driver = capability.Driver)
            WriteText(driver, 16, "fakevid");
        return 0;
    }

    public int EnumerateFormat(ref V4l2FmtDesc description)
    {
        if (!Enter($"ENUM_FMT {description.Index}"))
            return Errno.EBADF;
        if (description.Type != V4l2Constants.BufferTypeVideoCapture || description.Index >= Formats.Count)
            return Errno.EINVAL;
        description.PixelFormat = Formats[(int)description.Index];
        return 0;
    }

    public int SetFormat(ref V4l2Format format)
    {
        if (!Enter($"S_FMT {FourCc.ToText(format.Pix.PixelFormat)} {format.Pix.Width}x{format.Pix.Height}"))
            return Errno.EBADF;
        if (Streaming || _buffers.Count > 0)
            return Errno.EBUSY;
        if (SetFormatErrors.TryGetValue(format.Pix.PixelFormat, out int error))
            return error;
        // Like real drivers: an unknown format is replaced by one the driver has; the size is snapped.
        uint pixelFormat = SubstituteFormat ?? (Formats.Contains(format.Pix.PixelFormat) ? format.Pix.PixelFormat : Formats[0]);
        (uint width, uint height) = AdjustSizeTo ?? (format.Pix.Width, format.Pix.Height);
        format.Pix = new V4l2PixFormat
        {
            Width = width,
            Height = height,
            PixelFormat = pixelFormat,
            Field = 1,
            BytesPerLine = pixelFormat == Yuyv ? width * 2 : 0,
            SizeImage = pixelFormat == Yuyv ? width * height * 2 : width * height,
        };
        _format = format.Pix;
        return 0;
    }

    public int RequestBuffers(ref V4l2RequestBuffers request)
    {
        if (!Enter($"REQBUFS {request.Count}"))
            return Errno.EBADF;
        if (request.Type != V4l2Constants.BufferTypeVideoCapture || request.Memory != V4l2Constants.MemoryMmap)
            return Errno.EINVAL;
        if (Streaming)
            return Errno.EBUSY;
        if (_buffers.Any(b => b.Address != 0))
        {
            Violations.Add("REQBUFS while buffers are still mapped");
            return Errno.EBUSY;
        }
        _buffers.Clear();
        _done.Clear();
        uint granted = Math.Min(request.Count, MaxBuffers);
        for (int i = 0; i < granted; i++)
            _buffers.Add(new FakeBuffer { Offset = (uint)i * 0x10000, Length = _format.SizeImage });
        request.Count = granted;
        return 0;
    }

    public int QueryBuffer(ref V4l2Buffer buffer)
    {
        if (!Enter($"QUERYBUF {buffer.Index}"))
            return Errno.EBADF;
        if (buffer.Index >= _buffers.Count)
            return Errno.EINVAL;
        FakeBuffer b = _buffers[(int)buffer.Index];
        buffer.Offset = b.Offset;
        buffer.Length = b.Length;
        buffer.Memory = V4l2Constants.MemoryMmap;
        return 0;
    }

    public int Map(uint offset, uint length, out nint address)
    {
        address = 0;
        if (!Enter($"mmap {offset:x}"))
            return Errno.EBADF;
        int index = _buffers.FindIndex(b => b.Offset == offset);
        if (index < 0 || _buffers[index].Length != length)
            return Errno.EINVAL;
        if (MapFailsAtBuffer == index)
            return Errno.ENOMEM;
        if (_buffers[index].Address != 0)
            Violations.Add($"buffer {index} mapped twice");
        address = (nint)NativeMemory.AllocZeroed(length);
        _buffers[index].Address = address;
        return 0;
    }

    public int Unmap(nint address, uint length)
    {
        Calls.Add("munmap");
        int index = _buffers.FindIndex(b => b.Address == address && address != 0);
        if (index < 0 || _buffers[index].Length != length)
        {
            Violations.Add($"munmap of an unknown mapping 0x{address:x} ({length} bytes)");
            return Errno.EINVAL;
        }
        NativeMemory.Free((void*)address);
        _buffers[index].Address = 0;
        return 0;
    }

    public int QueueBuffer(ref V4l2Buffer buffer)
    {
        if (!Enter("QBUF", buffer.Index))
            return Errno.EBADF;
        if (buffer.Index >= _buffers.Count || buffer.Memory != V4l2Constants.MemoryMmap || buffer.Type != V4l2Constants.BufferTypeVideoCapture)
            return Errno.EINVAL;
        FakeBuffer b = _buffers[(int)buffer.Index];
        if (b.State != BufferState.Application)
        {
            Violations.Add($"QBUF of buffer {buffer.Index} in state {b.State}");
            return Errno.EINVAL;
        }
        b.State = BufferState.Queued;
        b.QueuedAt = _queueClock++;
        return 0;
    }

    private long _queueClock;

    public int DequeueBuffer(ref V4l2Buffer buffer)
    {
        if (!Enter("DQBUF"))
            return Errno.EBADF;
        if (DequeueErrors.TryDequeue(out int error) && error != 0)
            return error;
        if (!Streaming)
            return Errno.EINVAL;
        if (_done.Count == 0)
            return Errno.EAGAIN;
        int index = _done[0];
        _done.RemoveAt(0);
        FakeBuffer b = _buffers[index];
        b.State = BufferState.Application;
        buffer.Index = (uint)index;
        buffer.BytesUsed = b.BytesUsed;
        buffer.Flags = b.Flags;
        buffer.Sequence = b.Sequence;
        buffer.Offset = b.Offset;
        buffer.Length = b.Length;
        return 0;
    }

    public int StreamOn(uint bufferType)
    {
        if (!Enter("STREAMON"))
            return Errno.EBADF;
        if (StreamOnError != 0)
            return StreamOnError;
        if (bufferType != V4l2Constants.BufferTypeVideoCapture || _buffers.Count == 0)
            return Errno.EINVAL;
        Streaming = true;
        StreamOnCount++;
        for (int i = 0; i < FramesCompletedAtStreamOn; i++)
            CompleteOldestQueued();
        return 0;
    }

    public int StreamOff(uint bufferType)
    {
        if (!Enter("STREAMOFF"))
            return Errno.EBADF;
        if (StreamOffError != 0)
            return StreamOffError;
        Streaming = false;
        StreamOffCount++;
        foreach (FakeBuffer b in _buffers)
            b.State = BufferState.Application;
        _done.Clear();
        return 0;
    }

    public int Poll(int timeoutMilliseconds, out short returnedEvents)
    {
        returnedEvents = 0;
        if (!Enter("poll"))
            return Errno.EBADF;
        PollCount++;
        OnPoll?.Invoke(PollCount);
        if (!Streaming || StreamBroken)
        {
            returnedEvents = PollFd.Error;
            return 0;
        }
        if (_done.Count == 0 && !Stalled && CompleteOldestQueued())
            Clock.Advance(FramePeriod);
        if (_done.Count > 0)
        {
            returnedEvents = PollFd.In;
            return 0;
        }
        // Nothing to deliver: the call blocks for its whole timeout.
        Clock.Advance(TimeSpan.FromMilliseconds(timeoutMilliseconds));
        return 0;
    }

    public void Dispose()
    {
        Calls.Add("close");
        CloseCount++;
        if (CloseCount > 1)
            Violations.Add("closed twice");
    }

    /// <summary>Frees what the code under test leaked, so a failing test does not also leak native memory.</summary>
    public void FreeLeakedMappings()
    {
        foreach (FakeBuffer b in _buffers.Where(b => b.Address != 0))
        {
            NativeMemory.Free((void*)b.Address);
            b.Address = 0;
        }
    }

    private bool CompleteOldestQueued()
    {
        // A plain loop: this runs inside captures whose allocations a test measures.
        int oldestIndex = -1;
        for (int i = 0; i < _buffers.Count; i++)
        {
            if (_buffers[i].State == BufferState.Queued && (oldestIndex < 0 || _buffers[i].QueuedAt < _buffers[oldestIndex].QueuedAt))
                oldestIndex = i;
        }
        if (oldestIndex < 0)
            return false;
        FakeBuffer oldest = _buffers[oldestIndex];
        uint sequence = NextSequence++;
        int used = BytesUsedFor(sequence);
        var data = new Span<byte>((void*)oldest.Address, (int)oldest.Length);
        for (int i = 0; i < used; i++)
            data[i] = ExpectedByte(sequence, i);
        oldest.BytesUsed = (uint)used;
        oldest.Sequence = sequence;
        oldest.Flags = FrameFlags.TryDequeue(out uint flags) ? flags : 0;
        oldest.State = BufferState.Done;
        _done.Add(oldestIndex);
        return true;
    }

    /// <summary>Records a call ("QBUF 2" when <paramref name="argument"/> is given). Nothing is allocated while
    /// <see cref="RecordCalls"/> is off and the device is open, so allocation tests measure only the code under test.</summary>
    private bool Enter(string call, long argument = -1)
    {
        if (RecordCalls)
            Calls.Add(argument < 0 ? call : $"{call} {argument}");
        if (CloseCount == 0)
            return true;
        Violations.Add($"{call} after close");
        return false;
    }

    private static void WriteText(byte* destination, int capacity, string text)
    {
        for (int i = 0; i < Math.Min(text.Length, capacity - 1); i++)
            destination[i] = (byte)text[i];
    }

    private sealed class FakeBuffer
    {
        public uint Offset;
        public uint Length;
        public nint Address;
        public BufferState State = BufferState.Application;
        public long QueuedAt;
        public uint BytesUsed;
        public uint Sequence;
        public uint Flags;
    }
}
