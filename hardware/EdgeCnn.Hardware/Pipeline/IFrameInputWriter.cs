using EdgeCnn.Hardware.Backends;
using EdgeCnn.Hardware.Camera;

namespace EdgeCnn.Hardware.Pipeline;

/// <summary>
/// The pipeline's preprocessing step: decodes/converts a captured frame and writes it into the backend's input
/// (<see cref="IInferenceBackend.InputFloat"/> or <see cref="IInferenceBackend.InputInt8"/>). Kept as an interface so the
/// pipeline does not care how frames become tensors (the frame preprocessor in Preprocessing/ is the real one).
/// </summary>
public interface IFrameInputWriter
{
    /// <summary>Writes <paramref name="frame"/> into <paramref name="backend"/>'s input. Called on the worker thread, once
    /// per frame, before <see cref="IInferenceBackend.Run"/>.</summary>
    /// <exception cref="HardwareException">The frame cannot be decoded or converted (corrupt JPEG, wrong size).</exception>
    void Write(in Frame frame, IInferenceBackend backend);
}
