using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// The canonical form the passes rewrite ONNX nodes into: a node in <see cref="Node.EdgeDomain"/> whose
/// op type is a runtime <see cref="OpCode"/> name and whose attributes are named after <see cref="ParamKey"/>s,
/// already resolved (axes normalized, opset conventions gone, NHWC for spatial ops). Lowering then only
/// copies attributes into op params, so every ONNX rule lives in the passes that create these nodes.
/// </summary>
public static class EdgeOps
{
    public static Node Create(OpCode code, string name, IEnumerable<Value?> inputs, IEnumerable<Value> outputs) =>
        new(code.ToString(), name, inputs, outputs, Node.EdgeDomain);

    public static Node Binary(Graph graph, BinaryKind kind, Value a, Value b, Value output, string hint) =>
        Create(OpCode.Binary, graph.UniqueName(hint), [a, b], [output]).SetParam(ParamKey.Kind, (int)kind);

    public static Node Unary(Graph graph, ActivationKind kind, Value x, Value output, string hint) =>
        Create(OpCode.Unary, graph.UniqueName(hint), [x], [output]).SetParam(ParamKey.Activation, (int)kind);

    public static bool Is(this Node node, OpCode code) =>
        node.Domain == Node.EdgeDomain && node.OpType == code.ToString();

    /// <summary>The op code of an edge-domain node; false for ONNX nodes and unknown op types.</summary>
    public static bool TryGetCode(this Node node, out OpCode code)
    {
        code = default;
        return node.Domain == Node.EdgeDomain && Enum.TryParse(node.OpType, ignoreCase: false, out code) && Enum.IsDefined(code);
    }

    public static Node SetParam(this Node node, ParamKey key, params int[] values)
    {
        if (key.IsFloat()) throw new ArgumentException($"parameter {key} holds floats");
        return node.Set(key.ToString(), Array.ConvertAll(values, v => (long)v));
    }

    public static Node SetParam(this Node node, ParamKey key, params float[] values)
    {
        if (!key.IsFloat()) throw new ArgumentException($"parameter {key} holds ints");
        return node.Set(key.ToString(), values);
    }

    public static bool HasParam(this Node node, ParamKey key) => node.HasAttribute(key.ToString());

    public static void RemoveParam(this Node node, ParamKey key) => node.Attributes.Remove(key.ToString());

    public static int[]? Ints(this Node node, ParamKey key) =>
        node.GetInts(key.ToString()) is { } v ? Array.ConvertAll(v, x => checked((int)x)) : null;

    public static int Int(this Node node, ParamKey key, int fallback) =>
        node.Ints(key) is { Length: 1 } v ? v[0] : fallback;

    public static float[]? Floats(this Node node, ParamKey key) => node.GetFloats(key.ToString());

    public static float Float(this Node node, ParamKey key, float fallback) =>
        node.Floats(key) is { Length: 1 } v ? v[0] : fallback;

    /// <summary>The fused output activation of a Conv2D/FullyConnected/Gemm/... node (None when absent).</summary>
    public static ActivationKind Activation(this Node node) => (ActivationKind)node.Int(ParamKey.Activation, 0);
}
