namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// Opens ONNX Runtime backends. Implemented by EdgeCnn.Hardware.OnnxRuntime, so EdgeCnn.Hardware decides between the
/// backends without referencing ONNX Runtime.
/// </summary>
public interface IOrtBackendFactory
{
    /// <summary>Whether the installed ONNX Runtime native library was built with the CUDA execution provider.</summary>
    bool HasCuda { get; }

    /// <summary>The execution providers the installed ONNX Runtime native library has, e.g. "CPUExecutionProvider".</summary>
    IReadOnlyList<string> AvailableProviders { get; }

    /// <summary>Opens <paramref name="onnxPath"/>, trying the execution providers in order (<paramref name="providers"/>,
    /// e.g. ["CUDA"]; null: the factory's list, CUDA then CPU by default) and appending to <paramref name="log"/> which
    /// one it got and why the others failed.</summary>
    /// <exception cref="BackendException">None of the providers loads the model.</exception>
    IInferenceBackend Open(string onnxPath, ICollection<string> log, IReadOnlyList<string>? providers = null);
}
