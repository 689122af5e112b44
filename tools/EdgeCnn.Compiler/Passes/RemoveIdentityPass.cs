using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Removes nodes that pass their input through unchanged at inference: Identity, Dropout (its mask output
/// must be unused) and Cast from a floating-point type to float32/float64 (the runtime computes everything in float32).
/// Where the input cannot take the output's place (a graph input that is also a graph output) the node
/// becomes a Reshape copy.
/// </summary>
public sealed class RemoveIdentityPass : IGraphPass
{
    public string Name => "remove-identity";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Domain.Length != 0 || !IsPassThrough(graph, node)) continue;
            var input = node.Input(0);
            var output = node.Outputs[0];
            if (!GraphRewrite.TryBypass(graph, node, output, input))
            {
                node.OpType = nameof(OpCode.Reshape);
                node.Domain = Node.EdgeDomain;
                node.Attributes.Clear();
                node.Inputs.RemoveRange(1, node.Inputs.Count - 1);
                node.Outputs.RemoveRange(1, node.Outputs.Count - 1);
            }
            changed = true;
        }
        return changed;
    }

    private static bool IsPassThrough(Graph graph, Node node)
    {
        if (node.Inputs.Count == 0 || node.Outputs.Count == 0 || node.InputOrNull(0) is null) return false;
        switch (node.OpType)
        {
            case "Identity":
                return true;
            case "Dropout":
                if (node.Outputs.Count > 1 && IsRead(graph, node.Outputs[1]))
                    throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, "the mask output is used; only inference (mask unused) is supported");
                if (node.InputOrNull(2) is { } training && !GraphRewrite.IsConstantAll(training, 0))
                    throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, "training_mode must be a constant false");
                return true;
            case "Cast":
                return IsExactFloatCast(node);
            default:
                return false;
        }
    }

    /// <summary>A cast the float32 runtime can skip: between float32 and float64, or widening half precision.
    /// Narrowing to float16/bfloat16 rounds, so it is not a pass-through.</summary>
    internal static bool IsExactFloatCast(Node node)
    {
        var to = (ElementType)node.GetInt("to", 0);
        var from = node.Input(0).Type;
        return from.IsFloatingPoint() && to is ElementType.Float32 or ElementType.Float64;
    }

    private static bool IsRead(Graph graph, Value v) =>
        graph.IsGraphOutput(v) || graph.Nodes.Any(n => n.Inputs.Any(i => ReferenceEquals(i, v)));
}
