using EdgeCnn.Runtime;

namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// Decides which engine runs a model (<c>--backend auto|native|ort</c>) and opens it.
/// <list type="bullet">
/// <item>native: .ecnn as it is, .onnx compiled in memory; an op the runtime lacks is an error naming it.</item>
/// <item>ort: ONNX Runtime on the .onnx (CUDA, then CPU); an .ecnn model is an error (ORT needs the ONNX file).</item>
/// <item>auto: ONNX Runtime with CUDA when its native library has the CUDA provider (a Jetson build), because the GPU
/// beats the CPU kernels there; else (or when CUDA cannot load the model) the native runtime, which beats ORT's CPU
/// provider on int8 and needs no extra library; an ONNX model with ops the native runtime lacks falls back to ONNX
/// Runtime with a message naming them.</item>
/// </list>
/// The compiler and ONNX Runtime are optional (a device build may ship neither): without the compiler only .ecnn models
/// run natively; without ONNX Runtime, auto and native are the same.
/// </summary>
public sealed class BackendSelector
{
    private readonly INativeModelCompiler? _compiler;
    private readonly IOrtBackendFactory? _ort;
    private readonly SessionOptions? _nativeOptions;

    public BackendSelector(INativeModelCompiler? compiler, IOrtBackendFactory? ort, SessionOptions? nativeOptions = null)
    {
        _compiler = compiler;
        _ort = ort;
        _nativeOptions = nativeOptions;
    }

    /// <exception cref="FileNotFoundException">No file at <paramref name="modelPath"/>.</exception>
    /// <exception cref="BackendException">The asked backend cannot run the model (the message says why).</exception>
    public BackendSelection Select(BackendKind kind, string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"model file '{modelPath}' not found", modelPath);
        string extension = Path.GetExtension(modelPath).ToLowerInvariant();
        return extension switch
        {
            ".ecnn" => SelectForCompiled(kind, modelPath),
            ".onnx" => SelectForOnnx(kind, modelPath),
            _ => throw new BackendException($"'{modelPath}': unknown model format '{extension}' (expected .onnx or .ecnn)"),
        };
    }

    private BackendSelection SelectForCompiled(BackendKind kind, string path)
    {
        var messages = new List<string>();
        switch (kind)
        {
            case BackendKind.Ort:
                throw new BackendException($"'{path}': a compiled .ecnn model runs only on the native runtime; ONNX Runtime needs the .onnx model");
            case BackendKind.Auto:
                messages.Add(_ort is { HasCuda: true }
                    ? $"auto: native runtime: ONNX Runtime has CUDA, but '{path}' is an .ecnn model, which only the native runtime runs"
                    : $"auto: native runtime ({WhyNotCuda()})");
                break;
        }
        return new BackendSelection(new NativeBackend(path, _nativeOptions), messages);
    }

    private BackendSelection SelectForOnnx(BackendKind kind, string path)
    {
        var messages = new List<string>();
        bool cudaFailed = false;
        if (kind == BackendKind.Ort) return OpenOrt(path, messages);
        if (kind == BackendKind.Auto && _ort is { HasCuda: true })
        {
            // CUDA only: a build with the provider on a machine without a usable GPU should end on the native runtime,
            // not on ONNX Runtime's CPU provider.
            var log = new List<string>();
            try
            {
                var gpu = _ort.Open(path, log, ["CUDA"]);
                messages.Add("auto: ONNX Runtime, whose native library has the CUDA execution provider");
                messages.AddRange(log);
                return new BackendSelection(gpu, messages);
            }
            catch (BackendException ex)
            {
                cudaFailed = true;
                messages.AddRange(log);
                messages.Add($"auto: ONNX Runtime's CUDA provider cannot run the model ({WithoutPath(ex.Message, path)}); trying the native runtime");
            }
        }

        if (_compiler is null)
        {
            if (kind == BackendKind.Native || _ort is null)
                throw new BackendException($"'{path}': this build cannot compile ONNX models for the native runtime; compile it with `edgecnn compile` and pass the .ecnn file");
            messages.Add("auto: ONNX Runtime on the CPU (this build cannot compile ONNX models for the native runtime)");
            return OpenOrt(path, messages);
        }

        var probe = _compiler.Compile(path);
        if (probe.Model is { } model)
        {
            if (kind == BackendKind.Auto) messages.Add(cudaFailed ? "auto: native runtime" : $"auto: native runtime ({WhyNotCuda()})");
            return new BackendSelection(new NativeBackend(model, _nativeOptions, ownsModel: true, path), messages);
        }

        string ops = string.Join(", ", probe.UnsupportedOps);
        if (kind == BackendKind.Native || _ort is null)
            throw new BackendException($"'{path}': the native runtime lacks {Plural(probe.UnsupportedOps.Count, "op")} {ops} ({probe.Reason}){(_ort is null ? "" : "; use --backend ort or auto to run it on ONNX Runtime")}");
        messages.Add($"auto: the native runtime lacks {Plural(probe.UnsupportedOps.Count, "op")} {ops} ({probe.Reason}); falling back to ONNX Runtime");
        return OpenOrt(path, messages);
    }

    private BackendSelection OpenOrt(string path, List<string> messages)
    {
        if (_ort is null)
            throw new BackendException($"'{path}': ONNX Runtime is not part of this build; use --backend native");
        var backend = _ort.Open(path, messages);
        return new BackendSelection(backend, messages);
    }

    private string WhyNotCuda() => _ort is null ? "ONNX Runtime is not part of this build"
        : _ort.AvailableProviders.Count == 0 ? "ONNX Runtime's native library cannot be loaded"
        : $"the installed ONNX Runtime has no CUDA provider; it has {string.Join(", ", _ort.AvailableProviders)}";

    private static string WithoutPath(string message, string path)
    {
        string prefix = $"'{path}': ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";
}
