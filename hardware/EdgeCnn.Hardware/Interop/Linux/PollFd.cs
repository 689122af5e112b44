using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>struct pollfd: int fd, short events, short revents (8 bytes on every Linux ABI).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct PollFd
{
    [FieldOffset(0)] public int Fd;
    [FieldOffset(4)] public short Events;
    [FieldOffset(6)] public short ReturnedEvents;

    /// <summary>Data to read (a filled capture buffer for V4L2).</summary>
    public const short In = 0x001;

    /// <summary>An error condition (V4L2: not streaming, or no buffer queued).</summary>
    public const short Error = 0x008;

    /// <summary>Hang-up (the device went away).</summary>
    public const short HangUp = 0x010;

    /// <summary>The descriptor is not open.</summary>
    public const short Invalid = 0x020;
}
