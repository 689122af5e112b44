namespace EdgeCnn.Hardware.Interop.Linux;

/// <summary>open(2) flags. The values are the asm-generic ones, shared by x86-64 and arm64.</summary>
internal static class OpenFlags
{
    public const int ReadOnly = 0x0;
    public const int ReadWrite = 0x2;

    /// <summary>O_NONBLOCK: VIDIOC_DQBUF returns EAGAIN instead of blocking, so waiting happens in poll where it can
    /// be cancelled.</summary>
    public const int NonBlocking = 0x800;

    /// <summary>O_CLOEXEC: the camera descriptor is not inherited by subprocesses (rpicam-still, shells).</summary>
    public const int CloseOnExec = 0x80000;
}
