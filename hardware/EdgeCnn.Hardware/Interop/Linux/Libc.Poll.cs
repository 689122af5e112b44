using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

internal static partial class Libc
{
    /// <summary>poll(2); nfds_t is an unsigned long.</summary>
    /// <returns>The number of descriptors with events, 0 on timeout, or -1 with errno set.</returns>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(PollFd* descriptors, nuint count, int timeoutMilliseconds);
}
