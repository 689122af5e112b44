using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>struct v4l2_requestbuffers (VIDIOC_REQBUFS), 20 bytes: count, type, memory, capabilities, a u8 flags and
/// three reserved bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
internal struct V4l2RequestBuffers
{
    [FieldOffset(0)] public uint Count;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public uint Memory;
    [FieldOffset(12)] public uint Capabilities;
    [FieldOffset(16)] public byte Flags;
}
