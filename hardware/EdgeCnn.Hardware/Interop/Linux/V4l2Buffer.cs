using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>
/// struct v4l2_buffer (VIDIOC_QUERYBUF / QBUF / DQBUF), 88 bytes on 64-bit Linux: five u32 fields, 4 bytes of padding,
/// struct timeval (two 64-bit longs) at 24, struct v4l2_timecode (16 bytes) at 40, sequence and memory, the union m
/// (offset / userptr / planes / fd, 8 bytes) at 64, length, reserved2 and the request_fd/reserved union, padded to 88.
/// The 32-bit ARM layout differs; <see cref="V4l2Abi.EnsureSupported"/> refuses 32-bit processes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
internal struct V4l2Buffer
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public uint BytesUsed;
    [FieldOffset(12)] public uint Flags;
    [FieldOffset(16)] public uint Field;
    [FieldOffset(24)] public long TimestampSeconds;
    [FieldOffset(32)] public long TimestampMicroseconds;
    [FieldOffset(40)] public uint TimecodeType;
    [FieldOffset(44)] public uint TimecodeFlags;
    [FieldOffset(56)] public uint Sequence;
    [FieldOffset(60)] public uint Memory;

    /// <summary>m.offset: for MMAP buffers, the value to pass to mmap as the offset.</summary>
    [FieldOffset(64)] public uint Offset;
    [FieldOffset(72)] public uint Length;
    [FieldOffset(76)] public uint Reserved2;
    [FieldOffset(80)] public int RequestFd;
}
