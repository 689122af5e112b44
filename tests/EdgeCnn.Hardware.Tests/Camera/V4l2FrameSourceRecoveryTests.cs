using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Interop.Linux;
using EdgeCnn.Hardware.Tests.Camera.Fakes;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>A camera lost mid-run (unplugged, or a stream that cannot be restarted) is released and opened again on the
/// next capture; every device instance ends up fully released.</summary>
public sealed class V4l2FrameSourceRecoveryTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly List<FakeV4l2Device> _devices = [];

    /// <summary>What the next open does: null gives a working device, otherwise the exception to throw.</summary>
    private readonly Queue<HardwareException?> _openOutcomes = new();

    public void Dispose()
    {
        foreach (FakeV4l2Device device in _devices)
            device.FreeLeakedMappings();
    }

    private V4l2FrameSource Open()
    {
        var source = new V4l2FrameSource(new V4l2CameraOptions("/dev/video4", 32, 16), _ =>
        {
            if (_openOutcomes.TryDequeue(out HardwareException? failure) && failure is not null)
                throw failure;
            var device = new FakeV4l2Device(_clock);
            _devices.Add(device);
            return device;
        }, _clock);
        source.Open();
        return source;
    }

    [Fact]
    public void An_unplugged_camera_is_reopened_once_it_is_back()
    {
        using var source = Open();
        source.Capture(CancellationToken.None);
        _devices[0].DequeueErrors.Enqueue(0);
        _devices[0].DequeueErrors.Enqueue(Errno.ENODEV);
        var lost = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("ENODEV", lost.Message);
        Assert.Contains("disconnected", lost.Message);

        // Still unplugged at the next attempt: the open error is what the capture reports.
        _openOutcomes.Enqueue(new HardwareException("Camera /dev/video4: open failed: ENOENT (No such file or directory)."));
        var missing = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("ENOENT", missing.Message);

        Frame frame = source.Capture(CancellationToken.None);
        Assert.Equal(2, _devices.Count);
        Assert.True(frame.Data.Length > 0);
        Assert.True(_devices[1].Streaming);
        AssertReleased(_devices[0]);

        source.Dispose();
        AssertReleased(_devices[1]);
    }

    [Fact]
    public void A_stream_that_cannot_be_restarted_leads_to_a_reopen()
    {
        using var source = Open();
        source.Capture(CancellationToken.None);
        _devices[0].DequeueErrors.Enqueue(0);
        _devices[0].DequeueErrors.Enqueue(Errno.EIO);
        Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));

        _devices[0].StreamOffError = Errno.EIO;
        var restart = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("VIDIOC_STREAMOFF", restart.Message);

        _devices[0].StreamOffError = 0;
        source.Capture(CancellationToken.None);
        Assert.Equal(2, _devices.Count);
        Assert.Equal(0, _devices[0].MappedCount);
        Assert.Equal(1, _devices[0].CloseCount);
        Assert.True(_devices[1].Streaming);
    }

    private static void AssertReleased(FakeV4l2Device device)
    {
        Assert.False(device.Streaming);
        Assert.Equal(0, device.MappedCount);
        Assert.Equal(1, device.CloseCount);
        Assert.Empty(device.Violations);
    }
}
