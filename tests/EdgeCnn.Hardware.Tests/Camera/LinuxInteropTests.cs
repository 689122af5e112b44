using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Interop.Linux;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>The real libc calls, exercised on ordinary files (there is no camera here): open errors, ioctl on a
/// non-V4L2 descriptor, mmap/munmap and poll.</summary>
public sealed class LinuxInteropTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgecnn-interop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Skip("The interop layer calls the Linux C library.");
    }

    [Fact]
    public void Opening_a_missing_node_names_it_and_ENOENT()
    {
        RequireLinux();
        string path = Path.Combine(_directory, "video99");
        var error = Assert.Throws<HardwareException>(() => LinuxV4l2Device.Open(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("ENOENT", error.Message);
        Assert.Contains("No such file or directory", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_v4l2_device_fails_querycap_with_ENOTTY_and_is_closed()
    {
        RequireLinux();
        string path = Path.Combine(_directory, "not-a-camera");
        File.WriteAllBytes(path, new byte[64]);
        using var source = new V4l2FrameSource(new V4l2CameraOptions(path));
        var error = Assert.Throws<HardwareException>(source.Open);
        Assert.Contains("not a V4L2 device", error.Message);
        Assert.Contains("ENOTTY", error.Message);
        // The descriptor was closed: the file can be deleted and the source disposed without error.
        File.Delete(path);
    }

    [Fact]
    public void Mmap_of_a_file_sees_its_bytes_and_munmap_releases_it()
    {
        RequireLinux();
        string path = Path.Combine(_directory, "data");
        byte[] content = Enumerable.Range(0, 4096).Select(i => (byte)(i * 13)).ToArray();
        File.WriteAllBytes(path, content);
        int fd = Libc.Open(path, OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        Assert.True(fd >= 0, Errno.Describe(Errno.Last()));
        try
        {
            unsafe
            {
                void* mapped = Libc.Mmap(null, 4096, MemoryMapping.ProtectRead, MemoryMapping.Shared, fd, 0);
                Assert.True(mapped != MemoryMapping.Failed, Errno.Describe(Errno.Last()));
                Assert.Equal(content, new ReadOnlySpan<byte>(mapped, 4096).ToArray());
                Assert.Equal(0, Libc.Munmap(mapped, 4096));
            }
        }
        finally
        {
            Assert.Equal(0, Libc.Close(fd));
        }
    }

    [Fact]
    public void Poll_reports_a_regular_file_readable_and_ioctl_sets_errno()
    {
        RequireLinux();
        string path = Path.Combine(_directory, "polled");
        File.WriteAllText(path, "x");
        int fd = Libc.Open(path, OpenFlags.ReadOnly | OpenFlags.CloseOnExec);
        Assert.True(fd >= 0);
        try
        {
            unsafe
            {
                var descriptor = new PollFd { Fd = fd, Events = PollFd.In };
                Assert.Equal(1, Libc.Poll(&descriptor, 1, 0));
                Assert.NotEqual(0, descriptor.ReturnedEvents & PollFd.In);

                V4l2Capability capability;
                Assert.Equal(-1, Libc.Ioctl(fd, V4l2Ioctl.QueryCapability, &capability));
                Assert.Equal(Errno.ENOTTY, Errno.Last());
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    [Fact]
    public void Errno_text_has_the_name_and_the_c_library_message()
    {
        RequireLinux();
        Assert.Equal("EBUSY (Device or resource busy)", Errno.Describe(Errno.EBUSY));
        Assert.StartsWith("EIO (", Errno.Describe(Errno.EIO));
        Assert.StartsWith("errno 71 (", Errno.Describe(71));
    }
}
