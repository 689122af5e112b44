using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Replaces ONNX nodes whose inputs are all constants by their computed outputs (<see cref="ConstantEvaluator"/>),
/// e.g. weight arithmetic an exporter left in the graph. Runs before canonicalization, while nodes are still ONNX.
/// </summary>
public sealed class ConstantFoldingPass : IGraphPass
{
    public string Name => "constant-folding";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Domain.Length != 0 || node.Outputs.Count == 0 || node.Outputs.All(o => o.IsConstant)) continue;
            if (node.Inputs.Any(v => v is not null && !v.IsConstant)) continue;
            if (!ConstantEvaluator.TryEvaluate(node, graph.Opset, out var results) || results.Length < node.Outputs.Count) continue;
            graph.RemoveNode(node);
            for (int i = 0; i < node.Outputs.Count; i++) node.Outputs[i].SetConstant(results[i]);
            changed = true;
        }
        return changed;
    }
}
