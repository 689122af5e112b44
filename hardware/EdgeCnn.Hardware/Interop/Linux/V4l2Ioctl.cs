namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>The V4L2 ioctl request numbers, computed from the 'V' numbers in videodev2.h and the struct sizes.</summary>
internal static unsafe class V4l2Ioctl
{
    public static readonly uint QueryCapability = IoctlRequest.Read('V', 0, sizeof(V4l2Capability));
    public static readonly uint EnumFormat = IoctlRequest.ReadWrite('V', 2, sizeof(V4l2FmtDesc));
    public static readonly uint GetFormat = IoctlRequest.ReadWrite('V', 4, sizeof(V4l2Format));
    public static readonly uint SetFormat = IoctlRequest.ReadWrite('V', 5, sizeof(V4l2Format));
    public static readonly uint RequestBuffers = IoctlRequest.ReadWrite('V', 8, sizeof(V4l2RequestBuffers));
    public static readonly uint QueryBuffer = IoctlRequest.ReadWrite('V', 9, sizeof(V4l2Buffer));
    public static readonly uint QueueBuffer = IoctlRequest.ReadWrite('V', 15, sizeof(V4l2Buffer));
    public static readonly uint DequeueBuffer = IoctlRequest.ReadWrite('V', 17, sizeof(V4l2Buffer));
    public static readonly uint StreamOn = IoctlRequest.Write('V', 18, sizeof(int));
    public static readonly uint StreamOff = IoctlRequest.Write('V', 19, sizeof(int));
}
