namespace EdgeCnn.Hardware.Backends;

/// <summary>
/// Compiles an ONNX model for the native runtime. Hardware never references the compiler (a device build ships
/// without it), so the CLI supplies this; without one, the selector runs .ecnn models natively and .onnx models on
/// ONNX Runtime only.
/// </summary>
public interface INativeModelCompiler
{
    /// <summary>Compiles <paramref name="onnxPath"/>; an op the runtime lacks is reported in the result, while a
    /// malformed file throws (naming the file).</summary>
    NativeModelProbe Compile(string onnxPath);
}
