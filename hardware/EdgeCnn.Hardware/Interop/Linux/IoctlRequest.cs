namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>
/// The _IOC encoding of ioctl request numbers used by x86-64 and arm64 (asm-generic): bits 0-7 the number, 8-15 the
/// type character, 16-29 the argument size, 30-31 the direction (1 = write to the kernel, 2 = read from it). The size
/// is part of the number, so a struct of the wrong size gives a request the driver does not know (ENOTTY).
/// </summary>
internal static class IoctlRequest
{
    private const uint DirectionWrite = 1;
    private const uint DirectionRead = 2;
    private const int SizeBits = 14;

    /// <summary>_IOR: the kernel fills the argument.</summary>
    public static uint Read(char type, uint number, int size) => Encode(DirectionRead, type, number, size);

    /// <summary>_IOW: the kernel only reads the argument.</summary>
    public static uint Write(char type, uint number, int size) => Encode(DirectionWrite, type, number, size);

    /// <summary>_IOWR: the kernel reads and updates the argument.</summary>
    public static uint ReadWrite(char type, uint number, int size) => Encode(DirectionRead | DirectionWrite, type, number, size);

    private static uint Encode(uint direction, char type, uint number, int size)
    {
        if (number > 0xFF || type > 0xFF || size < 0 || size >= 1 << SizeBits)
            throw new ArgumentOutOfRangeException(nameof(size), $"ioctl '{type}' {number} with a {size}-byte argument does not fit the _IOC encoding.");
        return (direction << 30) | ((uint)size << 16) | ((uint)type << 8) | number;
    }
}
