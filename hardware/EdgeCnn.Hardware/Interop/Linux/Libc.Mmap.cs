using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

internal static partial class Libc
{
    /// <summary>mmap(2); off_t is 64-bit on the 64-bit targets.</summary>
    /// <returns>The mapping's address, or <see cref="MemoryMapping.Failed"/> with errno set.</returns>
    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static unsafe partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);
}
