using System.Runtime.InteropServices;

namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>errno values the camera code reacts to (asm-generic numbering, shared by x86-64 and arm64) and their text
/// for error messages.</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int ENOSYS = 38;
    public const int ETIMEDOUT = 110;

    /// <summary>The symbolic name, e.g. "EBUSY", or "errno 71" for one not in the table.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        ENXIO => "ENXIO",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOTTY => "ENOTTY",
        ENOSPC => "ENOSPC",
        EPIPE => "EPIPE",
        ENOSYS => "ENOSYS",
        ETIMEDOUT => "ETIMEDOUT",
        _ => $"errno {errno}",
    };

    /// <summary>"EBUSY (Device or resource busy)": the name plus the C library's strerror text.</summary>
    public static string Describe(int errno) => $"{Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";

    /// <summary>The errno of the P/Invoke call that just failed.</summary>
    public static int Last() => Marshal.GetLastPInvokeError();
}
