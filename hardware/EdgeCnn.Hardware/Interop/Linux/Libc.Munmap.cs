using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

internal static partial class Libc
{
    /// <summary>munmap(2).</summary>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static unsafe partial int Munmap(void* address, nuint length);
}
