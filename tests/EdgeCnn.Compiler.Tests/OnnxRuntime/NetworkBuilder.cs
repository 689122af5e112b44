using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;

namespace EdgeCnn.Compiler.Tests.OnnxRuntime;

/// <summary>
/// Layer-level helpers over <see cref="OnnxModelBuilder"/> for the synthetic networks: each adds the ONNX
/// nodes a PyTorch/Paddle export would produce, with seeded random weights, and returns the output name.
/// </summary>
internal sealed class NetworkBuilder
{
    private readonly Random _random;
    private int _counter;

    public NetworkBuilder(int seed, int opset = 13)
    {
        _random = new Random(seed);
        Onnx = new OnnxModelBuilder(opset);
    }

    public OnnxModelBuilder Onnx { get; }

    public string Input(string name, int[] shape)
    {
        Onnx.AddInput(name, shape);
        return name;
    }

    public void Output(string name) => Onnx.AddOutput(name);

    public string Conv(string x, int cin, int cout, int kernel, int stride = 1, int pad = 0, int group = 1, bool bias = true)
    {
        var w = Weight([cout, cin / group, kernel, kernel], 1.0 / Math.Sqrt(cin / group * kernel * kernel));
        var inputs = new List<string> { x, w };
        if (bias) inputs.Add(Weight([cout], 0.1));
        var y = Name("conv");
        Onnx.AddNode("Conv", inputs.ToArray(), [y])
            .Attr("kernel_shape", [(long)kernel, kernel])
            .Attr("strides", [(long)stride, stride])
            .Attr("pads", [(long)pad, pad, pad, pad])
            .Attr("group", (long)group);
        return y;
    }

    /// <summary>Inference BatchNormalization with non-trivial statistics (variance kept positive).</summary>
    public string BatchNorm(string x, int channels)
    {
        var scale = Constant([channels], () => 0.5 + _random.NextDouble());
        var shift = Constant([channels], () => _random.NextDouble() - 0.5);
        var mean = Constant([channels], () => (_random.NextDouble() - 0.5) * 0.4);
        var variance = Constant([channels], () => 0.3 + _random.NextDouble());
        var y = Name("bn");
        Onnx.AddNode("BatchNormalization", [x, scale, shift, mean, variance], [y]).Attr("epsilon", 1e-5f);
        return y;
    }

    public string Relu(string x) => Unary("Relu", x);

    /// <summary>ReLU6 as exporters write it at opset ≥ 11: Clip with min/max inputs.</summary>
    public string Clip(string x, float min, float max)
    {
        var y = Name("clip");
        Onnx.AddNode("Clip", [x, Scalar(min), Scalar(max)], [y]);
        return y;
    }

    public string Binary(string op, string a, string b)
    {
        var y = Name(op.ToLowerInvariant());
        Onnx.AddNode(op, [a, b], [y]);
        return y;
    }

    public string Unary(string op, string x)
    {
        var y = Name(op.ToLowerInvariant());
        Onnx.AddNode(op, [x], [y]);
        return y;
    }

    public OnnxModelBuilder.NodeBuilder Node(string op, string[] inputs, out string y)
    {
        y = Name(op.ToLowerInvariant());
        return Onnx.AddNode(op, inputs, [y]);
    }

    public string Shape(long[] dims)
    {
        var name = Name("shape");
        Onnx.AddInitializer(name, [dims.Length], dims);
        return name;
    }

    public string Scalar(float value)
    {
        var name = Name("scalar");
        Onnx.AddInitializer(name, TensorData.Scalar(value));
        return name;
    }

    /// <summary>Uniform in [−scale, scale].</summary>
    public string Weight(int[] shape, double scale) => Constant(shape, () => (_random.NextDouble() * 2 - 1) * scale);

    public float[] RandomInput(int[] shape, float range)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)((_random.NextDouble() * 2 - 1) * range);
        return data;
    }

    private string Constant(int[] shape, Func<double> next)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)next();
        var name = Name("w");
        Onnx.AddInitializer(name, shape, data);
        return name;
    }

    private string Name(string hint) => $"{hint}_{_counter++}";
}
