using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Quantization.Sensitivity;

/// <summary>
/// A deep copy of a graph: the quantizer rewrites the graph it is given in place, and the sensitivity analysis
/// quantizes the same prepared float graph once per node. Constants are copied too, so nothing a rewrite does to
/// one copy's weights can reach the next variant.
/// </summary>
internal static class GraphCopy
{
    public static Graph Of(Graph graph)
    {
        var copy = new Graph { Name = graph.Name, Opset = graph.Opset };
        var values = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        Value Map(Value v)
        {
            if (values.TryGetValue(v, out var existing)) return existing;
            var fresh = v.Constant is { } data
                ? Value.FromConstant(v.Name, Copy(data))
                : new Value(v.Name, v.Type, v.Shape is null ? null : (int[])v.Shape.Clone());
            fresh.Quant = v.Quant;
            values[v] = fresh;
            return fresh;
        }

        foreach (var input in graph.Inputs) copy.Inputs.Add(Map(input));
        foreach (var node in graph.Nodes)
        {
            var twin = new Node(node.OpType, node.Name, node.Inputs.Select(v => v is null ? null : Map(v)), node.Outputs.Select(Map), node.Domain);
            // Attribute values are immutable (init-only); passes replace them rather than edit them, so sharing is safe.
            foreach (var (key, attribute) in node.Attributes) twin.Attributes[key] = attribute;
            copy.AddNode(twin);
        }
        foreach (var output in graph.Outputs) copy.Outputs.Add(Map(output));
        return copy;
    }

    private static TensorData Copy(TensorData data) =>
        data.Floats is { } floats
            ? TensorData.FromFloats((int[])data.Shape.Clone(), (float[])floats.Clone(), data.Type)
            : TensorData.FromLongs((int[])data.Shape.Clone(), (long[])data.Longs!.Clone(), data.Type);
}
