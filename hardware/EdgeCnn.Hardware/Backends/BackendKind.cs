namespace EdgeCnn.Hardware.Backends;

/// <summary>Which inference engine the user asked for (<c>--backend auto|native|ort</c>).</summary>
public enum BackendKind
{
    /// <summary>ONNX Runtime with CUDA when the installed native library has it; else the native runtime, unless the
    /// model has ops the native runtime lacks (then ONNX Runtime on the CPU).</summary>
    Auto,

    /// <summary>The EdgeCnn runtime; a model it cannot run is an error.</summary>
    Native,

    /// <summary>ONNX Runtime (CUDA, then CPU); needs the .onnx model.</summary>
    Ort,
}

public static class BackendKinds
{
    /// <summary>Parses the <c>--backend</c> value (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Anything but auto, native or ort; the message lists the choices.</exception>
    public static BackendKind Parse(string value) => value?.Trim().ToLowerInvariant() switch
    {
        "auto" => BackendKind.Auto,
        "native" => BackendKind.Native,
        "ort" or "onnxruntime" => BackendKind.Ort,
        _ => throw new ArgumentException($"unknown backend '{value}' (expected auto, native or ort)", nameof(value)),
    };

    public static string Name(BackendKind kind) => kind switch
    {
        BackendKind.Auto => "auto",
        BackendKind.Native => "native",
        BackendKind.Ort => "ort",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown backend kind"),
    };
}
