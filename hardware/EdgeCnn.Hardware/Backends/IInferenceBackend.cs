namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// One inference engine behind the pipeline: the native EdgeCnn runtime or ONNX Runtime. The caller writes the input
/// in place (<see cref="InputFloat"/> or <see cref="InputInt8"/>, as <see cref="Input"/> says), calls <see cref="Run"/>
/// and reads <see cref="Output"/> (the first model output, e.g. logits or probabilities, valid until the next run).
/// After the first run, a run allocates no managed memory in the native backend. Not thread-safe.
/// </summary>
public interface IInferenceBackend : IDisposable
{
    /// <summary>"native" or "ort".</summary>
    string Name { get; }

    /// <summary>For the startup summary, e.g. "EdgeCnn runtime, kernel path Avx2, 1 thread" or
    /// "ONNX Runtime 1.31.1, CPUExecutionProvider (CUDA: not in this build)".</summary>
    string Description { get; }

    BackendInput Input { get; }

    /// <summary>Number of values in <see cref="Output"/>.</summary>
    int OutputLength { get; }

    /// <exception cref="InvalidOperationException">The input is int8.</exception>
    Span<float> InputFloat();

    /// <exception cref="InvalidOperationException">The input is float.</exception>
    Span<sbyte> InputInt8();

    void Run();

    ReadOnlySpan<float> Output();
}
