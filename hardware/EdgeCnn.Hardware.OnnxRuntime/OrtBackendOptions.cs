namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>How <see cref="OrtBackend"/> opens a model.</summary>
public sealed class OrtBackendOptions
{
    /// <summary>Execution providers to try, in order: "CUDA", "TensorRT", "CPU" (or their full ONNX Runtime names such
    /// as "CUDAExecutionProvider"). The first that loads the model wins. Default: CUDA, then CPU.</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["CUDA", "CPU"];

    /// <summary>The GPU for the CUDA and TensorRT providers.</summary>
    public int DeviceId { get; init; }

    /// <summary>ONNX Runtime's intra-op threads; 1 (the default) matches the native backend's default, 0 lets ONNX
    /// Runtime pick.</summary>
    public int ThreadCount { get; init; } = 1;

    /// <summary>The input shape for a model whose input has symbolic dimensions besides the batch (which becomes 1);
    /// null uses the model's own shape.</summary>
    public int[]? InputShape { get; init; }

    /// <summary>These options with another provider list.</summary>
    public OrtBackendOptions WithProviders(IReadOnlyList<string> providers) => new()
    {
        Providers = providers,
        DeviceId = DeviceId,
        ThreadCount = ThreadCount,
        InputShape = InputShape,
        Log = Log,
    };

    /// <summary>Also receives every line of <see cref="OrtBackend.Log"/> as it is written (e.g. the console).</summary>
    public TextWriter? Log { get; init; }
}
