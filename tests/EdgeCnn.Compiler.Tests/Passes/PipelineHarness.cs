using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime;
using EdgeCnn.Runtime.Model;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Runs ONNX models built in code three ways: ONNX Runtime (the reference), and EdgeCnn compiled with and
/// without the optimization passes.</summary>
internal static class PipelineHarness
{
    public static Graph Import(OnnxModelBuilder model) => OnnxImporter.Load(model.ToBytes(), "test-model", new ImportOptions());

    public static CompiledModel Compile(OnnxModelBuilder model, bool optimize) =>
        ModelCompiler.Compile(Import(model), new CompileOptions { Optimize = optimize });

    public static float[][] Run(CompiledModel model, params float[][] inputs)
    {
        var session = new Session(model);
        var outputs = new float[model.Outputs.Length][];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new float[model.OutputInfo(i).ElementCount];
            Array.Fill(outputs[i], float.NaN);
        }
        session.Run(inputs.Select(a => (ReadOnlyMemory<float>)a).ToArray(), outputs.Select(a => (Memory<float>)a).ToArray());
        return outputs;
    }

    public static float[][] RunOrt(OnnxModelBuilder model, IReadOnlyList<(string Name, float[] Data, int[] Shape)> inputs)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model.ToBytes(), options);
        var values = inputs.Select(i => OrtValue.CreateTensorValueFromMemory(i.Data, Array.ConvertAll(i.Shape, d => (long)d))).ToList();
        try
        {
            using var run = new RunOptions();
            using var outputs = session.Run(run, inputs.Select(i => i.Name).ToList(), values, session.OutputNames);
            return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public static float[] RandomData(int seed, params int[] shape)
    {
        var rng = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, d) => a * d)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return data;
    }

    public static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>Compiles with and without optimization, runs both and ONNX Runtime on the same inputs and
    /// asserts: optimized vs unoptimized within 1e-5, each vs ONNX Runtime within <paramref name="ortTolerance"/>.
    /// Returns both compiled models for structure checks.</summary>
    public static (CompiledModel Optimized, CompiledModel Plain) AssertEquivalent(
        OnnxModelBuilder model, IReadOnlyList<(string Name, float[] Data, int[] Shape)> inputs, float ortTolerance = 1e-4f)
    {
        var optimized = Compile(model, optimize: true);
        var plain = Compile(model, optimize: false);
        var data = inputs.Select(i => i.Data).ToArray();
        var a = Run(optimized, data);
        var b = Run(plain, data);
        var reference = RunOrt(model, inputs);
        Assert.Equal(reference.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(MaxAbsDiff(a[i], b[i]) <= 1e-5f, $"output {i}: optimized and unoptimized differ by {MaxAbsDiff(a[i], b[i])}");
            Assert.True(MaxAbsDiff(b[i], reference[i]) <= ortTolerance, $"output {i}: unoptimized differs from ONNX Runtime by {MaxAbsDiff(b[i], reference[i])}");
            Assert.True(MaxAbsDiff(a[i], reference[i]) <= ortTolerance, $"output {i}: optimized differs from ONNX Runtime by {MaxAbsDiff(a[i], reference[i])}");
        }
        return (optimized, plain);
    }

    public static int CountOps(CompiledModel model, OpCode code) => model.Ops.Count(o => o.Code == code);

    /// <summary>One line per op (code, name, input and output shapes) for assertion messages.</summary>
    public static string Listing(CompiledModel model) => string.Join('\n', model.Ops.Select(o =>
        $"{o.Code} {o.Name} ({string.Join(", ", o.Inputs.Select(i => i < 0 ? "-" : Shape(model, i)))}) -> {string.Join(", ", o.Outputs.Select(i => Shape(model, i)))}"
        + (o.Params.Has(ParamKey.Perm) ? $" perm [{string.Join(',', o.Params.GetInts(ParamKey.Perm))}]" : "")));

    private static string Shape(CompiledModel model, int t) =>
        $"{model.Tensors[t].Name}[{string.Join(',', model.Tensors[t].Shape)}]";
}
