using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

internal static partial class Libc
{
    /// <summary>close(2).</summary>
    /// <returns>0, or -1 with errno set.</returns>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
