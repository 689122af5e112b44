using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler;

/// <summary>The compiler pipeline: ONNX → IR → passes → runtime model.</summary>
public static class ModelCompiler
{
    public static Graph Import(string onnxPath, ImportOptions? options = null) =>
        Onnx.OnnxImporter.Load(onnxPath, options ?? new ImportOptions());

    public static CompiledModel Compile(string onnxPath, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        var graph = Import(onnxPath, options.Import);
        return Compile(graph, options);
    }

    public static CompiledModel Compile(Graph graph, CompileOptions? options = null)
    {
        options ??= new CompileOptions();
        Passes.PassPipeline.Run(graph, options.Optimize);
        return Lowering.GraphLowering.Lower(graph);
    }
}
