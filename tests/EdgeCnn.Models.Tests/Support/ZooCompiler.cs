using EdgeCnn.Compiler;
using EdgeCnn.Compiler.Analysis;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Models.Zoo;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Models.Tests.Support;

/// <summary>The EdgeCnn side of the zoo tests: import a built model's bytes, compile, analyze or run it.</summary>
internal static class ZooCompiler
{
    public static CompiledModel Compile(ZooModel model, bool optimize)
    {
        var graph = OnnxImporter.Load(model.Onnx, $"{model.Name}.onnx", new ImportOptions());
        return ModelCompiler.Compile(graph, new CompileOptions { Optimize = optimize });
    }

    public static ModelStats Analyze(ZooModel model, bool optimize) => ModelAnalyzer.Analyze(Compile(model, optimize));

    /// <summary>Runs the one-input, one-output model on <paramref name="input"/> (NCHW) and returns the output.</summary>
    public static float[] Run(CompiledModel model, float[] input)
    {
        var session = new Session(model);
        var output = new float[model.Tensors[model.Outputs[0]].ElementCount];
        session.Run([(ReadOnlyMemory<float>)input], [(Memory<float>)output]);
        return output;
    }
}
