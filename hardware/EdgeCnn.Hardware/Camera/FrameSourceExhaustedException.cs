namespace EdgeCnn.Hardware.Camera;

/// <summary>A finite source (a folder read once) has delivered every frame. Unlike other
/// <see cref="HardwareException"/>s, retrying cannot help: the pipeline should stop capturing.</summary>
public sealed class FrameSourceExhaustedException : HardwareException
{
    public FrameSourceExhaustedException(string message) : base(message) { }
}
