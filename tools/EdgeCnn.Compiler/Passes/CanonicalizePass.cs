using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes.Canonical;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Rewrites every non-spatial ONNX node into its edge form (<see cref="EdgeOps"/>): opset conventions
/// (attribute vs input, default axes, Softmax's 2-D coercion before opset 13, Resize/Upsample versions)
/// are resolved here once, so later passes and lowering see one form per op. Spatial NCHW ops are left
/// to <see cref="LayoutPass"/>. An ONNX op with no runtime equivalent raises <see cref="UnsupportedOperatorException"/>.
/// </summary>
public sealed class CanonicalizePass : IGraphPass
{
    public string Name => "canonicalize";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Domain == Node.EdgeDomain) continue;
            if (!IsOnnxDomain(node.Domain))
                throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"domain '{node.Domain}' is not supported");
            if (LayoutPass.IsSpatial(node.OpType)) continue;
            changed = true;
            if (node.Outputs.Count > 0 && node.Outputs.All(o => o.IsConstant))
            {
                // The importer already folded it; only the husk is left.
                graph.RemoveNode(node);
                continue;
            }
            if (ElementwiseRules.TryRewrite(graph, node)) continue;
            if (ShapeRules.TryRewrite(graph, node)) continue;
            if (ReduceRule.TryRewrite(graph, node)) continue;
            if (ResizeRule.TryRewrite(graph, node)) continue;
            if (SoftmaxRule.TryRewrite(graph, node)) continue;
            throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset,
                "no runtime operator computes it (shape computations must fold to constants at import)");
        }
        return changed;
    }

    public static bool IsOnnxDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";
}
