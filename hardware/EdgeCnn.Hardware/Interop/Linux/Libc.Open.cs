using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

internal static partial class Libc
{
    /// <summary>open(2) without O_CREAT, so the variadic mode argument is never read.</summary>
    /// <returns>A file descriptor, or -1 with errno set.</returns>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);
}
