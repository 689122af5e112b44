namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>mmap(2) protection and flag values (identical on x86-64 and arm64).</summary>
internal static class MemoryMapping
{
    public const int ProtectRead = 0x1;
    public const int ProtectWrite = 0x2;
    public const int Shared = 0x01;

    /// <summary>MAP_FAILED, i.e. (void*)-1.</summary>
    public static unsafe void* Failed => (void*)-1;
}
