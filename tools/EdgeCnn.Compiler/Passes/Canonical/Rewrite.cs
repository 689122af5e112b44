using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Canonical;

/// <summary>In-place conversion of an ONNX node into an edge node (read the ONNX attributes first).</summary>
internal static class Rewrite
{
    public static Node Become(Node node, OpCode code, params Value?[] inputs)
    {
        node.OpType = code.ToString();
        node.Domain = Node.EdgeDomain;
        node.Attributes.Clear();
        node.Inputs.Clear();
        node.Inputs.AddRange(inputs);
        return node;
    }

    public static UnsupportedOperatorException Unsupported(Graph graph, Node node, string detail) =>
        new(node.OpType, node.Name, graph.Opset, detail);

    public static OnnxImportException Invalid(Node node, string detail) =>
        new($"node '{node.Name}' ({node.OpType}): {detail}");

    public static int[] OutputShape(Node node, int index = 0) =>
        node.Outputs[index].Shape ?? throw Invalid(node, $"output '{node.Outputs[index].Name}' has no known shape");

    public static int[] InputShape(Node node, int index = 0) =>
        node.Input(index).Shape ?? throw Invalid(node, $"input '{node.Input(index).Name}' has no known shape");

    /// <summary>Drops outputs after <paramref name="keep"/> that nothing reads; a read one is unsupported.</summary>
    public static void DropUnusedOutputs(Graph graph, Node node, int keep)
    {
        for (int i = node.Outputs.Count - 1; i >= keep; i--)
        {
            var v = node.Outputs[i];
            if (graph.IsGraphOutput(v) || graph.Nodes.Any(n => n.Inputs.Any(x => ReferenceEquals(x, v))))
                throw Unsupported(graph, node, $"output {i} ('{v.Name}') is used; only the first {keep} output(s) are supported");
            node.Outputs.RemoveAt(i);
        }
    }
}
