using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Tests.Passes;

/// <summary>Builds IR graphs directly (shapes given by the test) for structure tests of single passes.</summary>
internal sealed class IrBuilder
{
    private int _count;

    public IrBuilder(int opset = 13) => Graph = new Graph { Opset = opset };

    public Graph Graph { get; }

    public Value Input(string name, params int[] shape)
    {
        var v = new Value(name, ElementType.Float32, shape);
        Graph.Inputs.Add(v);
        return v;
    }

    public Value Const(string name, int[] shape, float[] data) => Value.FromConstant(name, TensorData.FromFloats(shape, data));

    public Value Const(string name, float scalar) => Value.FromConstant(name, TensorData.Scalar(scalar));

    public Value Longs(string name, params long[] data) => Value.FromConstant(name, TensorData.FromLongs([data.Length], data));

    /// <summary>Random weights in [-1, 1) from a fixed seed.</summary>
    public Value Random(string name, params int[] shape)
    {
        var rng = new Random(TestSeed.Of(name) & 0xffff);
        int n = shape.Aggregate(1, (a, d) => a * d);
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        return Const(name, shape, data);
    }

    /// <summary>Adds an ONNX node with one output of <paramref name="shape"/>.</summary>
    public Value Op(string opType, Value?[] inputs, int[] shape, Action<Node>? attributes = null) =>
        Node(opType, inputs, [shape], attributes).Outputs[0];

    public Node Node(string opType, Value?[] inputs, int[][] outputShapes, Action<Node>? attributes = null, string domain = "")
    {
        int k = ++_count;
        var outputs = outputShapes.Select((s, i) => new Value($"{opType.ToLowerInvariant()}{k}_out{i}", ElementType.Float32, s)).ToArray();
        var node = new Node(opType, $"{opType.ToLowerInvariant()}{k}", inputs, outputs, domain);
        attributes?.Invoke(node);
        Graph.AddNode(node);
        return node;
    }

    public void Output(params Value[] values) => Graph.Outputs.AddRange(values);

    public static int Count(Graph g, string opType) => g.Nodes.Count(n => n.OpType == opType);
}
