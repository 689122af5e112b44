using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>struct v4l2_pix_format (the single-planar member of v4l2_format's union), 48 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal struct V4l2PixFormat
{
    [FieldOffset(0)] public uint Width;
    [FieldOffset(4)] public uint Height;
    [FieldOffset(8)] public uint PixelFormat;
    [FieldOffset(12)] public uint Field;
    [FieldOffset(16)] public uint BytesPerLine;
    [FieldOffset(20)] public uint SizeImage;
    [FieldOffset(24)] public uint Colorspace;
    [FieldOffset(28)] public uint Private;
    [FieldOffset(32)] public uint Flags;
    [FieldOffset(36)] public uint YcbcrEncoding;
    [FieldOffset(40)] public uint Quantization;
    [FieldOffset(44)] public uint TransferFunction;
}
