using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>A tiny DSL over <see cref="OnnxModelBuilder"/> for the pipeline tests: seeded weights, auto-named values.</summary>
internal sealed class OnnxNet
{
    private int _seed;
    private int _count;

    public OnnxNet(int opset = 13) => Model = new OnnxModelBuilder(opset);

    public OnnxModelBuilder Model { get; }

    public string Input(string name, params int[] shape)
    {
        Model.AddInput(name, shape);
        return name;
    }

    public float[] Random(int n, float scale = 1f, float offset = 0f) =>
        PipelineHarness.RandomData(++_seed * 7919, n).Select(v => offset + scale * v).ToArray();

    public string Weight(int[] shape, float scale = 0.5f, float offset = 0f)
    {
        var name = $"w{++_count}";
        Model.AddInitializer(name, shape, Random(shape.Aggregate(1, (a, d) => a * d), scale, offset));
        return name;
    }

    public string Const(float[] data, params int[] shape)
    {
        var name = $"c{++_count}";
        Model.AddInitializer(name, shape, data);
        return name;
    }

    public string Longs(params long[] data)
    {
        var name = $"i{++_count}";
        Model.AddInitializer(name, [data.Length], data);
        return name;
    }

    public string Op(string opType, string[] inputs, Action<OnnxModelBuilder.NodeBuilder>? attributes = null)
    {
        var name = $"v{++_count}";
        var node = Model.AddNode(opType, inputs, [name]);
        attributes?.Invoke(node);
        return name;
    }

    public string[] Ops(string opType, string[] inputs, int outputs, Action<OnnxModelBuilder.NodeBuilder>? attributes = null)
    {
        var names = Enumerable.Range(0, outputs).Select(_ => $"v{++_count}").ToArray();
        var node = Model.AddNode(opType, inputs, names);
        attributes?.Invoke(node);
        return names;
    }

    public string Conv(string x, int cin, int cout, int k, int stride = 1, int pad = -1, int group = 1, bool bias = true)
    {
        int p = pad < 0 ? k / 2 : pad;
        var w = Weight([cout, cin / group, k, k], 1f / MathF.Sqrt(cin / group * k * k));
        var inputs = bias ? new[] { x, w, Weight([cout], 0.1f) } : [x, w];
        return Op("Conv", inputs, n => n.Attr("kernel_shape", [(long)k, k]).Attr("pads", [(long)p, p, p, p])
            .Attr("strides", [(long)stride, stride]).Attr("group", (long)group));
    }

    public string BatchNorm(string x, int c) =>
        Op("BatchNormalization", [x, Weight([c], 0.3f, 1f), Weight([c], 0.2f), Weight([c], 0.2f), Weight([c], 0.3f, 1f)]);

    public string Relu(string x) => Op("Relu", [x]);

    public string Clip(string x, float min, float max) =>
        Op("Clip", [x, Const([min]), Const([max])]);

    public void Output(params string[] names)
    {
        foreach (var n in names) Model.AddOutput(n);
    }
}
