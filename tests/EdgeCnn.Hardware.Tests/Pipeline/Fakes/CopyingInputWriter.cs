using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;
using EdgeCnn.Hardware.Pipeline;

namespace EdgeCnn.Hardware.Tests.Pipeline.Fakes;

/// <summary>Copies gray pixels / 255 into a float input; rejects the frame numbers in <see cref="FailingFrames"/>.</summary>
internal sealed class CopyingInputWriter : IFrameInputWriter
{
    public HashSet<long> FailingFrames { get; init; } = [];

    public List<long> Written { get; } = [];

    public void Write(in Frame frame, IInferenceBackend backend)
    {
        if (FailingFrames.Contains(frame.Sequence)) throw new HardwareException($"frame {frame.Sequence}: corrupt JPEG");
        var input = backend.InputFloat();
        var pixels = frame.Data.Span;
        for (int i = 0; i < input.Length; i++) input[i] = pixels[i] / 255f;
        Written.Add(frame.Sequence);
    }
}
