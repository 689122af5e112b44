using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Tests.Pipeline.Fakes;

/// <summary>A camera returning a fixed 2×2 gray frame, failing the captures whose (1-based) numbers are in
/// <see cref="FailingCaptures"/> with a <see cref="HardwareException"/>.</summary>
internal sealed class ScriptedCamera : IFrameSource
{
    private readonly byte[] _pixels = [10, 20, 30, 40];
    private int _captures;
    private long _frames;

    public HashSet<int> FailingCaptures { get; init; } = [];

    /// <summary>Frames delivered before the source reports itself exhausted (a folder read once); null for never.</summary>
    public int? ExhaustedAfter { get; init; }

    public int Captures => _captures;

    public bool Disposed { get; private set; }

    public string Description => "scripted 2x2 Gray8";

    public FrameFormat Format { get; } = new(2, 2, PixelFormat.Gray8, 2);

    public void Open() { }

    public Frame Capture(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int n = ++_captures;
        if (_frames >= ExhaustedAfter) throw new FrameSourceExhaustedException($"folder:/tmp/frames: all {_frames} images delivered");
        if (FailingCaptures.Contains(n)) throw new HardwareException($"/dev/video9: VIDIOC_DQBUF failed on capture {n} (EIO)");
        _frames++;
        return new Frame(Format, _pixels, _frames, DateTimeOffset.UnixEpoch, $"frame{_frames}.raw");
    }

    public void Dispose() => Disposed = true;
}
