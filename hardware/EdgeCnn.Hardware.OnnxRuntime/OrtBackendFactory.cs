using EdgeCnn.Hardware.Backends;

namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>The ONNX Runtime side of <see cref="BackendSelector"/>: reports whether the installed native library has
/// CUDA and opens <see cref="OrtBackend"/>s with the given options.</summary>
public sealed class OrtBackendFactory : IOrtBackendFactory
{
    private readonly OrtBackendOptions _options;

    public OrtBackendFactory(OrtBackendOptions? options = null) => _options = options ?? new OrtBackendOptions();

    public IReadOnlyList<string> AvailableProviders => OrtProviders.Available();

    public bool HasCuda => AvailableProviders.Contains(OrtProviders.Cuda);

    public IInferenceBackend Open(string onnxPath, ICollection<string> log, IReadOnlyList<string>? providers = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var backend = new OrtBackend(onnxPath, providers is null ? _options : _options.WithProviders(providers));
        foreach (var line in backend.Log) log.Add("ONNX Runtime " + line);
        return backend;
    }
}
