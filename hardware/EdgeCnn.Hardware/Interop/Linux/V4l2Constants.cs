namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>The videodev2.h values the capture code uses.</summary>
internal static class V4l2Constants
{
    public const uint CapVideoCapture = 0x00000001;
    public const uint CapVideoCaptureMultiplanar = 0x00001000;
    public const uint CapStreaming = 0x04000000;
    public const uint CapDeviceCaps = 0x80000000;

    public const uint BufferTypeVideoCapture = 1;
    public const uint MemoryMmap = 1;
    public const uint FieldAny = 0;

    /// <summary>V4L2_BUF_FLAG_ERROR: the buffer was dequeued but its data may be corrupt; re-queue it.</summary>
    public const uint BufferFlagError = 0x00000040;

    public static readonly uint PixelFormatYuyv = FourCc.From("YUYV");
    public static readonly uint PixelFormatMjpeg = FourCc.From("MJPG");

    /// <summary>V4L2_PIX_FMT_JPEG: what some older drivers call their JPEG stream; handled like MJPEG.</summary>
    public static readonly uint PixelFormatJpeg = FourCc.From("JPEG");
}
