using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>The EdgeCnn side of an ORT comparison: compile an ONNX file with bound input shapes, run it.</summary>
internal static class EdgeCnnModels
{
    public static CompiledModel Compile(string onnxPath, IReadOnlyDictionary<string, int[]> inputShapes, bool optimize = true) =>
        ModelCompiler.Compile(onnxPath, new CompileOptions
        {
            Import = new ImportOptions { InputShapes = inputShapes },
            Optimize = optimize,
        });

    /// <summary>Compiles an in-memory ONNX model (written to a temporary file, since the importer reads files).</summary>
    public static CompiledModel Compile(byte[] onnx, IReadOnlyDictionary<string, int[]> inputShapes, bool optimize = true)
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgecnn-test-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, onnx);
        try
        {
            return Compile(path, inputShapes, optimize);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs a session with inputs by name; returns the outputs by name.</summary>
    public static Dictionary<string, float[]> Run(Session session, IReadOnlyDictionary<string, float[]> inputs)
    {
        var model = session.Model;
        var feeds = new List<ReadOnlyMemory<float>>();
        foreach (var t in model.Inputs)
        {
            var name = model.Tensors[t].Name;
            feeds.Add(inputs.TryGetValue(name, out var data)
                ? data
                : throw new InvalidOperationException($"no data for model input '{name}' (given: {string.Join(", ", inputs.Keys)})"));
        }
        var outputs = model.Outputs.Select(t => new float[model.Tensors[t].ElementCount]).ToArray();
        session.Run(feeds, outputs.Select(o => (Memory<float>)o).ToList());
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < outputs.Length; i++) result[model.Tensors[model.Outputs[i]].Name] = outputs[i];
        return result;
    }
}
