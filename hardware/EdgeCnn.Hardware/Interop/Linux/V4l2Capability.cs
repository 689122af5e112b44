using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>struct v4l2_capability (VIDIOC_QUERYCAP), 104 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 104)]
internal unsafe struct V4l2Capability
{
    [FieldOffset(0)] public fixed byte Driver[16];
    [FieldOffset(16)] public fixed byte Card[32];
    [FieldOffset(48)] public fixed byte BusInfo[32];
    [FieldOffset(80)] public uint Version;

    /// <summary>What the whole physical device can do (all its nodes).</summary>
    [FieldOffset(84)] public uint Capabilities;

    /// <summary>What this node can do; valid when <see cref="Capabilities"/> has V4L2_CAP_DEVICE_CAPS.</summary>
    [FieldOffset(88)] public uint DeviceCaps;

    /// <summary>The capabilities of the opened node: device_caps when the driver fills it, else capabilities.</summary>
    public readonly uint NodeCapabilities => (Capabilities & V4l2Constants.CapDeviceCaps) != 0 ? DeviceCaps : Capabilities;

    public readonly string DriverName
    {
        get { fixed (byte* p = Driver) return V4l2Text.Read(p, 16); }
    }

    public readonly string CardName
    {
        get { fixed (byte* p = Card) return V4l2Text.Read(p, 32); }
    }
}
