using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Interop.Linux;
using EdgeCnn.Hardware.Tests.Camera.Fakes;

namespace EdgeCnn.Hardware.Tests.Camera;

/// <summary>Capturing from a V4L2 camera against the fake driver: frames point at the mapped buffers, every dequeued
/// buffer goes back to the driver, stale and corrupt frames are skipped, and faults (EIO, POLLERR, a stalled camera,
/// cancellation) are reported while Dispose still releases everything.</summary>
public sealed class V4l2FrameSourceCaptureTests : IDisposable
{
    private readonly FakeV4l2Device _device = new(new FakeClock());

    public void Dispose() => _device.FreeLeakedMappings();

    private V4l2FrameSource OpenSource(PixelFormat format = PixelFormat.Mjpeg, bool discardStale = true, int buffers = 4)
    {
        var source = new V4l2FrameSource(new V4l2CameraOptions("/dev/video3", 32, 16, format, buffers, DiscardStaleFrames: discardStale), _ => _device, _device.Clock);
        source.Open();
        return source;
    }

    [Fact]
    public void Frames_carry_the_driver_bytes_over_the_mapped_buffer()
    {
        using var source = OpenSource(PixelFormat.Mjpeg);
        for (uint expectedSequence = 0; expectedSequence < 6; expectedSequence++)
        {
            Frame frame = source.Capture(CancellationToken.None);
            Assert.Equal(expectedSequence, frame.Sequence);
            Assert.Equal(source.Format, frame.Format);
            // MJPEG frames vary in size: the data is exactly bytesused long.
            Assert.Equal(_device.BytesUsedFor(expectedSequence), frame.Data.Length);
            ReadOnlySpan<byte> data = frame.Data.Span;
            for (int i = 0; i < data.Length; i++)
                Assert.Equal(FakeV4l2Device.ExpectedByte(expectedSequence, i), data[i]);
        }
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void Yuyv_frames_cover_every_row()
    {
        using var source = OpenSource(PixelFormat.Yuyv);
        Frame frame = source.Capture(CancellationToken.None);
        Assert.Equal(new FrameFormat(32, 16, PixelFormat.Yuyv, 64), frame.Format);
        Assert.Equal(64 * 16, frame.Data.Length);
    }

    [Fact]
    public void Every_dequeued_buffer_is_requeued_and_only_the_current_frame_is_held()
    {
        using var source = OpenSource(discardStale: false);
        for (int capture = 1; capture <= 25; capture++)
        {
            source.Capture(CancellationToken.None);
            Assert.Equal(1, _device.CountIn(FakeV4l2Device.BufferState.Application));
            Assert.Equal(4, _device.CountIn(FakeV4l2Device.BufferState.Queued) + _device.CountIn(FakeV4l2Device.BufferState.Done) + 1);
            // 4 queued at open, then one re-queue per capture after the first.
            Assert.Equal(4 + capture - 1, _device.Calls.Count(c => c.StartsWith("QBUF", StringComparison.Ordinal)));
            Assert.Equal(capture, _device.Calls.Count(c => c == "DQBUF"));
        }
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void Buffers_are_used_round_robin()
    {
        using var source = OpenSource(discardStale: false);
        var addresses = new List<nint>();
        for (int i = 0; i < 8; i++)
        {
            Frame frame = source.Capture(CancellationToken.None);
            unsafe
            {
                fixed (byte* p = frame.Data.Span)
                    addresses.Add((nint)p);
            }
        }
        Assert.Equal(4, addresses.Distinct().Count());
        Assert.Equal(addresses.Take(4), addresses.Skip(4));
    }

    [Fact]
    public void Frames_waiting_since_before_the_capture_are_discarded()
    {
        // All four buffers filled right after STREAMON: by the time the trigger comes, they are old.
        _device.FramesCompletedAtStreamOn = 4;
        using var source = OpenSource();
        Frame frame = source.Capture(CancellationToken.None);
        Assert.Equal(4, frame.Sequence);
        Assert.Equal(4, source.StaleFrames);
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void Without_discarding_the_oldest_waiting_frame_is_returned()
    {
        _device.FramesCompletedAtStreamOn = 4;
        using var source = OpenSource(discardStale: false);
        Assert.Equal(0, source.Capture(CancellationToken.None).Sequence);
        Assert.Equal(0, source.StaleFrames);
    }

    [Fact]
    public void Frames_flagged_as_errored_are_requeued_and_skipped()
    {
        _device.FrameFlags.Enqueue(V4l2Constants.BufferFlagError);
        _device.FrameFlags.Enqueue(V4l2Constants.BufferFlagError);
        using var source = OpenSource();
        Frame frame = source.Capture(CancellationToken.None);
        Assert.Equal(2, frame.Sequence);
        Assert.Equal(2, source.CorruptFrames);
        Assert.Equal(1, _device.CountIn(FakeV4l2Device.BufferState.Application));
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void EAGAIN_after_a_readable_poll_waits_for_the_next_frame()
    {
        using var source = OpenSource();
        _device.DequeueErrors.Enqueue(0);          // the stale-frame drain: nothing waiting
        _device.DequeueErrors.Enqueue(Errno.EAGAIN);
        Frame frame = source.Capture(CancellationToken.None);
        Assert.Equal(0, frame.Sequence);
    }

    [Fact]
    public void EIO_mid_stream_is_reported_and_the_next_capture_restarts_streaming()
    {
        using var source = OpenSource();
        source.Capture(CancellationToken.None);
        source.Capture(CancellationToken.None);
        _device.DequeueErrors.Enqueue(Errno.EIO);

        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("/dev/video3", error.Message);
        Assert.Contains("VIDIOC_DQBUF", error.Message);
        Assert.Contains("EIO", error.Message);

        Frame frame = source.Capture(CancellationToken.None);
        Assert.Equal(1, _device.StreamOffCount);
        Assert.Equal(2, _device.StreamOnCount);
        Assert.True(frame.Data.Length > 0);
        Assert.Equal(1, _device.CountIn(FakeV4l2Device.BufferState.Application));
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void Dispose_after_EIO_still_stops_unmaps_and_closes()
    {
        var source = OpenSource();
        source.Capture(CancellationToken.None);
        _device.DequeueErrors.Enqueue(Errno.EIO);
        Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));

        source.Dispose();
        AssertReleased();
    }

    [Fact]
    public void Dispose_stops_streaming_unmaps_frees_and_closes_once()
    {
        var source = OpenSource();
        Frame frame = source.Capture(CancellationToken.None);
        source.Dispose();
        source.Dispose();

        AssertReleased();
        string[] tail = ["STREAMOFF", "munmap", "munmap", "munmap", "munmap", "REQBUFS 0", "close"];
        Assert.Equal(tail, _device.Calls.TakeLast(tail.Length));
        // The frame's memory was unmapped: touching it fails cleanly instead of reading freed memory.
        Assert.Throws<ObjectDisposedException>(() => frame.Data.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => source.Capture(CancellationToken.None));
    }

    [Fact]
    public void A_stalled_camera_times_out_with_a_clear_error()
    {
        using var source = OpenSource();
        _device.Stalled = true;
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("no frame within 5 s", error.Message);
        // The wait was spent in poll (fake time), in slices short enough to notice cancellation.
        Assert.True(_device.PollCount >= 50, $"{_device.PollCount} polls");
    }

    [Fact]
    public void Only_corrupt_frames_until_the_timeout_are_reported_as_such()
    {
        for (int i = 0; i < 1000; i++)
            _device.FrameFlags.Enqueue(V4l2Constants.BufferFlagError);
        using var source = OpenSource();
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("corrupt or short", error.Message);
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void POLLERR_while_streaming_is_reported_and_streaming_restarts()
    {
        using var source = OpenSource();
        source.Capture(CancellationToken.None);
        _device.StreamBroken = true;
        var error = Assert.Throws<HardwareException>(() => source.Capture(CancellationToken.None));
        Assert.Contains("POLLERR", error.Message);

        _device.StreamBroken = false;
        source.Capture(CancellationToken.None);
        Assert.Equal(2, _device.StreamOnCount);
        Assert.Empty(_device.Violations);
    }

    [Fact]
    public void Cancellation_while_waiting_stops_the_capture()
    {
        using var source = OpenSource();
        using var cancel = new CancellationTokenSource();
        _device.Stalled = true;
        _device.OnPoll = count =>
        {
            if (count == 3)
                cancel.Cancel();
        };
        Assert.ThrowsAny<OperationCanceledException>(() => source.Capture(cancel.Token));
        Assert.InRange(_device.PollCount, 3, 4);
    }

    [Fact]
    public void Steady_state_capture_allocates_nothing()
    {
        _device.FramesCompletedAtStreamOn = 2;
        using var source = OpenSource();
        for (int i = 0; i < 20; i++)
            source.Capture(CancellationToken.None);
        _device.RecordCalls = false;

        // Steady state is a window of 100 captures with no byte allocated; up to 5 windows, because tiered JIT
        // promotion can allocate once at a moment that depends on machine load.
        var windows = new List<long>();
        long bytes = 0;
        for (int window = 0; window < 5 && (windows.Count == 0 || windows[^1] != 0); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
                bytes += source.Capture(CancellationToken.None).Data.Length;
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(bytes > 0);
        Assert.True(windows[^1] == 0, $"bytes allocated per 100-capture window: {string.Join(", ", windows)}");
    }

    [Fact]
    public void Capture_before_open_is_refused()
    {
        using var source = new V4l2FrameSource(new V4l2CameraOptions("/dev/video3"), _ => _device, _device.Clock);
        Assert.Throws<InvalidOperationException>(() => source.Capture(CancellationToken.None));
    }

    private void AssertReleased()
    {
        Assert.False(_device.Streaming);
        Assert.Equal(0, _device.MappedCount);
        Assert.Equal(1, _device.CloseCount);
        Assert.Empty(_device.Violations);
    }
}
