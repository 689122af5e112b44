using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Tests.Onnx;

/// <summary>Small helpers to build ONNX models in code and import them.</summary>
internal static class OnnxTestModels
{
    public static Graph Import(OnnxModelBuilder builder, ImportOptions? options = null) =>
        OnnxImporter.Load(builder.ToBytes(), "test.onnx", options ?? new ImportOptions());

    /// <summary>A model with float input "x" of <paramref name="inputShape"/>, whatever
    /// <paramref name="body"/> adds, and output "y"; returns the imported output shape.</summary>
    public static int[] OutputShape(int opset, int[] inputShape, Action<OnnxModelBuilder> body)
    {
        var b = new OnnxModelBuilder(opset);
        b.AddInput("x", inputShape);
        body(b);
        b.AddOutput("y");
        var g = Import(b);
        return g.Outputs[0].Shape ?? throw new InvalidOperationException("output has no shape");
    }

    public static float[] Sequence(int count, float start = 0f, float step = 1f)
    {
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = start + i * step;
        return a;
    }

    public static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var a = new float[count];
        for (int i = 0; i < count; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    public static TensorData Longs(params long[] values) => TensorData.FromLongs([values.Length], values);

    public static TensorData Floats(params float[] values) => TensorData.FromFloats([values.Length], values);
}
