using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Tests.Quantization;

/// <summary>Builds graphs directly in the edge form the passes produce (NHWC ops, ParamKey attributes), with
/// seeded random weights, for quantizer tests that need exact control over the structure.</summary>
internal sealed class EdgeGraph
{
    private readonly Random _random;
    private int _count;

    public EdgeGraph(int seed = 1) => _random = new Random(seed);

    public Graph Graph { get; } = new();

    public Value Input(string name, params int[] shape)
    {
        var v = new Value(name, ElementType.Float32, shape);
        Graph.Inputs.Add(v);
        return v;
    }

    public void Output(params Value[] values) => Graph.Outputs.AddRange(values);

    /// <summary>Weights uniform in [−scale, scale].</summary>
    public Value Weights(string hint, int[] shape, double scale)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)((_random.NextDouble() * 2 - 1) * scale);
        return Value.FromConstant(Name(hint), TensorData.FromFloats(shape, data));
    }

    public static Value Constant(string name, int[] shape, float[] data) => Value.FromConstant(name, TensorData.FromFloats(shape, data));

    /// <summary>NHWC convolution with "same" padding for odd kernels.</summary>
    public Node Conv(Value x, int cout, int kernel, ActivationKind act = ActivationKind.None, int group = 1, int stride = 1, bool bias = true,
        float? alpha = null, float? beta = null)
    {
        var s = x.RequireShape();
        int cin = s[3], pad = kernel / 2;
        var w = Weights("w", [cout, kernel, kernel, cin / group], 1.0 / Math.Sqrt(cin / group * kernel * kernel));
        var inputs = new List<Value?> { x, w };
        if (bias) inputs.Add(Weights("b", [cout], 0.2));
        int oh = (s[1] + 2 * pad - kernel) / stride + 1, ow = (s[2] + 2 * pad - kernel) / stride + 1;
        var node = Add(OpCode.Conv2D, "conv", inputs, [[s[0], oh, ow, cout]])
            .SetParam(ParamKey.Kernel, kernel, kernel).SetParam(ParamKey.Strides, stride, stride)
            .SetParam(ParamKey.Dilations, 1, 1).SetParam(ParamKey.Pads, pad, pad, pad, pad).SetParam(ParamKey.Group, group);
        SetActivation(node, act, alpha, beta);
        return node;
    }

    public Node FullyConnected(Value x, int cout, ActivationKind act = ActivationKind.None)
    {
        var s = x.RequireShape();
        int k = s[^1];
        var node = Add(OpCode.FullyConnected, "fc", [x, Weights("w", [cout, k], 1.0 / Math.Sqrt(k)), Weights("b", [cout], 0.2)], [[.. s[..^1], cout]]);
        SetActivation(node, act, null, null);
        return node;
    }

    public Value MaxPool(Value x, int kernel)
    {
        var s = x.RequireShape();
        return Add(OpCode.MaxPool2D, "maxpool", [x], [[s[0], s[1] / kernel, s[2] / kernel, s[3]]])
            .SetParam(ParamKey.Kernel, kernel, kernel).SetParam(ParamKey.Strides, kernel, kernel)
            .SetParam(ParamKey.Dilations, 1, 1).SetParam(ParamKey.Pads, 0, 0, 0, 0).Outputs[0];
    }

    public Value GlobalAveragePool(Value x)
    {
        var s = x.RequireShape();
        return Add(OpCode.GlobalAveragePool, "gap", [x], [[s[0], 1, 1, s[3]]]).Outputs[0];
    }

    public Value Reshape(Value x, params int[] shape) => Add(OpCode.Reshape, "reshape", [x], [shape]).Outputs[0];

    public Value Unary(ActivationKind kind, Value x, float? alpha = null, float? beta = null)
    {
        var node = Add(OpCode.Unary, kind.ToString().ToLowerInvariant(), [x], [x.RequireShape()]).SetParam(ParamKey.Activation, (int)kind);
        if (alpha is { } a) node.SetParam(ParamKey.Alpha, a);
        if (beta is { } b) node.SetParam(ParamKey.Beta, b);
        return node.Outputs[0];
    }

    public Node Binary(BinaryKind kind, Value a, Value b, ActivationKind act = ActivationKind.None)
    {
        var node = Add(OpCode.Binary, kind.ToString().ToLowerInvariant(), [a, b], [Broadcasting.TryShape(a.RequireShape(), b.RequireShape())!])
            .SetParam(ParamKey.Kind, (int)kind);
        SetActivation(node, act, null, null);
        return node;
    }

    public Value Concat(int axis, params Value[] inputs)
    {
        var shape = (int[])inputs[0].RequireShape().Clone();
        shape[axis] = inputs.Sum(v => v.RequireShape()[axis]);
        return Add(OpCode.Concat, "concat", inputs, [shape]).SetParam(ParamKey.Axis, axis).Outputs[0];
    }

    public Value[] Split(Value x, int axis, params int[] sizes)
    {
        var shapes = sizes.Select(size => { var s = (int[])x.RequireShape().Clone(); s[axis] = size; return s; }).ToArray();
        return Add(OpCode.Split, "split", [x], shapes).SetParam(ParamKey.Axis, axis).SetParam(ParamKey.Sizes, sizes).Outputs.ToArray();
    }

    public Value Softmax(Value x, int axis) =>
        Add(OpCode.Softmax, "softmax", [x], [x.RequireShape()]).SetParam(ParamKey.Axis, axis).Outputs[0];

    /// <summary>Local response normalization: an op with no int8 variant, to force a float island.</summary>
    public Value Lrn(Value x) =>
        Add(OpCode.Lrn, "lrn", [x], [x.RequireShape()]).SetParam(ParamKey.Size, 3).SetParam(ParamKey.Alpha, 1e-4f)
            .SetParam(ParamKey.Beta, 0.75f).SetParam(ParamKey.Bias, 1f).Outputs[0];

    private Node Add(OpCode code, string hint, IEnumerable<Value?> inputs, int[][] outputShapes)
    {
        string name = Name(hint);
        var outputs = outputShapes.Select((s, i) => new Value(outputShapes.Length == 1 ? $"{name}_out" : $"{name}_out{i}", ElementType.Float32, s));
        return Graph.AddNode(EdgeOps.Create(code, name, inputs, outputs));
    }

    private static void SetActivation(Node node, ActivationKind act, float? alpha, float? beta)
    {
        if (act == ActivationKind.None) return;
        node.SetParam(ParamKey.Activation, (int)act);
        if (alpha is { } a) node.SetParam(ParamKey.Alpha, a);
        if (beta is { } b) node.SetParam(ParamKey.Beta, b);
    }

    private string Name(string hint) => $"{hint}{++_count}";
}
