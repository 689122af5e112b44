using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>struct v4l2_fmtdesc (VIDIOC_ENUM_FMT), 64 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct V4l2FmtDesc
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public fixed byte Description[32];
    [FieldOffset(44)] public uint PixelFormat;
    [FieldOffset(48)] public uint MbusCode;

    public readonly string DescriptionText
    {
        get { fixed (byte* p = Description) return V4l2Text.Read(p, 32); }
    }
}
