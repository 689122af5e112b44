using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>
/// struct v4l2_format (VIDIOC_G_FMT / S_FMT), 208 bytes on 64-bit Linux: the 4-byte type, then a 200-byte union at
/// offset 8 (the union holds struct v4l2_window, whose pointers give it 8-byte alignment). Only the single-planar
/// pixel format member is used.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
internal struct V4l2Format
{
    [FieldOffset(0)] public uint Type;
    [FieldOffset(8)] public V4l2PixFormat Pix;
}
