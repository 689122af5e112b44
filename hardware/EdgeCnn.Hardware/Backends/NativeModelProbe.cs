using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// The outcome of compiling an ONNX model for the native runtime: the compiled model, or the ops the runtime lacks
/// (with the compiler's own message), so the backend selection can fall back to ONNX Runtime and say why.
/// </summary>
public sealed class NativeModelProbe
{
    private NativeModelProbe(CompiledModel? model, IReadOnlyList<string> unsupportedOps, string? reason)
    {
        Model = model;
        UnsupportedOps = unsupportedOps;
        Reason = reason;
    }

    /// <summary>The compiled model; null when <see cref="UnsupportedOps"/> is not empty.</summary>
    public CompiledModel? Model { get; }

    /// <summary>ONNX op types the native runtime cannot run (e.g. "Sin"); empty when the model compiled.</summary>
    public IReadOnlyList<string> UnsupportedOps { get; }

    /// <summary>The compiler's message for the unsupported op (node name, opset, detail); null when it compiled.</summary>
    public string? Reason { get; }

    public static NativeModelProbe Compiled(CompiledModel model) =>
        new(model ?? throw new ArgumentNullException(nameof(model)), [], null);

    public static NativeModelProbe Unsupported(IReadOnlyList<string> ops, string reason)
    {
        if (ops is null || ops.Count == 0) throw new ArgumentException("an unsupported model names at least one op", nameof(ops));
        return new(null, ops, reason);
    }
}
