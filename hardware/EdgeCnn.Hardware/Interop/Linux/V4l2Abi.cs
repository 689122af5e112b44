namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>Guards the one ABI the V4L2 structs are laid out for.</summary>
internal static class V4l2Abi
{
    /// <exception cref="HardwareException">Not Linux, or a 32-bit process (whose v4l2_buffer/v4l2_format differ).</exception>
    public static void EnsureSupported(string device)
    {
        if (!OperatingSystem.IsLinux())
            throw new HardwareException($"{device}: V4L2 cameras exist only on Linux.");
        if (!Environment.Is64BitProcess)
            throw new HardwareException($"{device}: the V4L2 structs are laid out for 64-bit Linux (x86-64, arm64); this is a 32-bit process.");
    }
}
