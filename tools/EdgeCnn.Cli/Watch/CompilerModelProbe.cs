using EdgeCnn.Cli.IO;
using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Ir;
using EdgeCnn.Hardware.Backends;

namespace EdgeCnn.Cli.Watch;

/// <summary>
/// The compiler side of the backend selection: compiles an ONNX model in memory as <c>edgecnn run</c> does. An op the
/// native runtime lacks is the importer's <see cref="UnsupportedOperatorException"/> (the same message
/// <c>edgecnn compile</c> prints); it becomes a probe result so <c>--backend auto</c> can fall back to ONNX Runtime.
/// The importer stops at the first such op, so the result names that one.
/// </summary>
internal sealed class CompilerModelProbe : INativeModelCompiler
{
    private readonly IReadOnlyDictionary<string, int[]> _inputShapes;

    public CompilerModelProbe(IReadOnlyDictionary<string, int[]>? inputShapes = null) =>
        _inputShapes = inputShapes ?? new Dictionary<string, int[]>();

    public NativeModelProbe Compile(string onnxPath)
    {
        var options = new CompileOptions { Import = new ImportOptions { InputShapes = _inputShapes } };
        try
        {
            return NativeModelProbe.Compiled(ModelCompiler.Compile(onnxPath, options));
        }
        catch (UnsupportedOperatorException ex)
        {
            return NativeModelProbe.Unsupported([ex.OpType], ex.Message);
        }
        catch (OnnxImportException ex) when (!ex.Message.Contains(onnxPath, StringComparison.Ordinal))
        {
            throw new InputFileException(onnxPath, ex.Message, ex);
        }
    }
}
