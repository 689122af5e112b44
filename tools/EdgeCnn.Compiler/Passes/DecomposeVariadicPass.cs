using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Rewrites the variadic ONNX ops Sum, Max, Min and Mean into chains of two-input Binary nodes the runtime
/// runs (Mean = the Add chain times 1/n). One input is a plain copy.
/// </summary>
public sealed class DecomposeVariadicPass : IGraphPass
{
    public string Name => "decompose-variadic";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Domain.Length != 0) continue;
            BinaryKind kind;
            switch (node.OpType)
            {
                case "Sum" or "Mean": kind = BinaryKind.Add; break;
                case "Max": kind = BinaryKind.Max; break;
                case "Min": kind = BinaryKind.Min; break;
                default: continue;
            }
            Decompose(graph, node, kind, node.OpType == "Mean");
            changed = true;
        }
        return changed;
    }

    private static void Decompose(Graph graph, Node node, BinaryKind kind, bool mean)
    {
        var inputs = node.Inputs.Where(v => v is not null).Select(v => v!).ToList();
        if (inputs.Count == 0) throw new OnnxImportException($"node '{node.Name}' ({node.OpType}) has no inputs");
        var output = node.Outputs[0];
        var added = new List<Node>();
        Value acc = inputs[0];
        if (inputs.Count == 1 && !mean)
        {
            added.Add(GraphRewrite.Reshape(graph, acc, output, node.Name));
        }
        for (int i = 1; i < inputs.Count; i++)
        {
            bool last = i == inputs.Count - 1 && !mean;
            var shape = Broadcasting.TryShape(acc.RequireShape(), inputs[i].RequireShape())
                ?? throw new OnnxImportException($"node '{node.Name}' ({node.OpType}): inputs {GraphRewrite.ShapeText(acc.Shape)} and {GraphRewrite.ShapeText(inputs[i].Shape)} do not broadcast");
            var result = last ? output : GraphRewrite.NewValue(graph, $"{node.Name}_acc{i}", shape);
            added.Add(EdgeOps.Binary(graph, kind, acc, inputs[i], result, $"{node.Name}_{i}"));
            acc = result;
        }
        if (mean)
        {
            var scale = graph.NewConstant($"{node.Name}_inv_n", TensorData.Scalar(1f / inputs.Count));
            added.Add(EdgeOps.Binary(graph, BinaryKind.Mul, acc, scale, output, $"{node.Name}_mean"));
        }
        int index = graph.IndexOf(node);
        graph.RemoveNode(node);
        for (int i = 0; i < added.Count; i++) graph.InsertNode(index + i, added[i]);
    }

}
