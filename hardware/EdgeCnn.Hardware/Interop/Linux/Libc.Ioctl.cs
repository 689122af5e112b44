using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

internal static partial class Libc
{
    /// <summary>
    /// ioctl(2) with a pointer argument. The C prototype is variadic; on x86-64 and arm64 Linux a variadic pointer is
    /// passed exactly like a fixed one, so a fixed third parameter is correct there. The request is an unsigned long.
    /// </summary>
    /// <returns>A non-negative value, or -1 with errno set.</returns>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int Ioctl(int fd, nuint request, void* argument);
}
