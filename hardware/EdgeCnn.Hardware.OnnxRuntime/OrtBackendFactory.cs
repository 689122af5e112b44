using EdgeCnn.Hardware.Backends;

namespace EdgeCnn.Hardware.OnnxRuntime;

/// <summary>The ONNX Runtime side of <see cref="BackendSelector"/>: reports whether the installed native library has
/// CUDA and opens <see cref="OrtBackend"/>s with the given options. A native library that cannot be loaded (a device
/// image without libonnxruntime.so) reports no providers, so auto goes native; opening then names the load error.</summary>
public sealed class OrtBackendFactory : IOrtBackendFactory
{
    private readonly OrtBackendOptions _options;
    private IReadOnlyList<string>? _available;
    private string? _loadError;

    public OrtBackendFactory(OrtBackendOptions? options = null) => _options = options ?? new OrtBackendOptions();

    public IReadOnlyList<string> AvailableProviders => _available ??= Query();

    public bool HasCuda => AvailableProviders.Contains(OrtProviders.Cuda);

    public IInferenceBackend Open(string onnxPath, ICollection<string> log, IReadOnlyList<string>? providers = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (AvailableProviders.Count == 0)
            throw new BackendException($"'{onnxPath}': ONNX Runtime's native library cannot be loaded: {_loadError}");
        var backend = new OrtBackend(onnxPath, providers is null ? _options : _options.WithProviders(providers));
        foreach (var line in backend.Log) log.Add("ONNX Runtime " + line);
        return backend;
    }

    private IReadOnlyList<string> Query()
    {
        try
        {
            return OrtProviders.Available();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            _loadError = (ex.InnerException ?? ex).Message.ReplaceLineEndings(" ");
            return [];
        }
    }
}
