using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// The runtime's spatial ops are 2-D; a 1-D Conv/ConvTranspose/pooling/LRN over [N,C,L] becomes the 2-D op
/// over [N,C,1,L] (weights [.., k] → [.., 1, k], every per-axis attribute gets a neutral H entry) between
/// two Reshapes. The layout pass then treats it like any 2-D op.
/// </summary>
public sealed class Spatial1DTo2DPass : IGraphPass
{
    private static readonly HashSet<string> Ops = new(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "LRN",
    };

    public string Name => "spatial-1d-to-2d";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (!CanonicalizePass.IsOnnxDomain(node.Domain) || !Ops.Contains(node.OpType)) continue;
            if (node.InputOrNull(0)?.Shape is not { Length: 3 }) continue;
            Widen(graph, node);
            changed = true;
        }
        return changed;
    }

    private static void Widen(Graph graph, Node node)
    {
        if (node.OpType == "MaxPool") Canonical.Rewrite.DropUnusedOutputs(graph, node, 1);
        var x = node.Input(0);
        var s = x.RequireShape();
        var x4 = GraphRewrite.NewValue(graph, $"{x.Name}_2d", [s[0], s[1], 1, s[2]]);
        graph.InsertBefore(node, GraphRewrite.Reshape(graph, x, x4, $"{node.Name}_to_2d"));
        node.Inputs[0] = x4;

        var w = node.InputOrNull(1);
        if (w is not null && node.OpType is "Conv" or "ConvTranspose")
        {
            var data = w.Constant ?? throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"weights '{w.Name}' must be a compile-time constant");
            if (data.Rank != 3) throw new OnnxImportException($"node '{node.Name}' ({node.OpType}): weights '{w.Name}' must be 3-D for a 1-D input, are {data}");
            node.Inputs[1] = graph.NewConstant($"{w.Name}_2d", data.WithShape([data.Shape[0], data.Shape[1], 1, data.Shape[2]]));
        }
        Prepend(node, "kernel_shape", 1);
        Prepend(node, "strides", 1);
        Prepend(node, "dilations", 1);
        Prepend(node, "output_padding", 0);
        Prepend(node, "output_shape", 1);
        if (node.GetInts("pads") is { Length: 2 } pads) node.Set("pads", [0, pads[0], 0, pads[1]]);

        var y = node.Outputs[0];
        var ys = y.RequireShape();
        if (ys.Length != 3) throw new OnnxImportException($"node '{node.Name}' ({node.OpType}): output '{y.Name}' must be 3-D for a 3-D input");
        var y4 = GraphRewrite.NewValue(graph, $"{y.Name}_2d", [ys[0], ys[1], 1, ys[2]]);
        node.Outputs[0] = y4;
        y4.Producer = node;
        graph.InsertAfter(node, GraphRewrite.Reshape(graph, y4, y, $"{node.Name}_to_1d"));
    }

    private static void Prepend(Node node, string attribute, long value)
    {
        if (node.GetInts(attribute) is { Length: 1 } v) node.Set(attribute, [value, v[0]]);
    }
}
