using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>Graph edits shared by the passes.</summary>
public static class GraphRewrite
{
    /// <summary>A fresh float value with a unique name (not attached until a node produces it).</summary>
    public static Value NewValue(Graph graph, string hint, int[] shape, ElementType type = ElementType.Float32) =>
        new(graph.UniqueName(hint), type, shape);

    /// <summary>An edge Transpose node reading <paramref name="input"/> and writing <paramref name="output"/> (not inserted).</summary>
    public static Node Transpose(Graph graph, Value input, int[] perm, Value output, string hint) =>
        EdgeOps.Create(OpCode.Transpose, graph.UniqueName(hint), [input], [output]).SetParam(ParamKey.Perm, perm);

    /// <summary>An edge Reshape node (the target shape is the output's shape; not inserted).</summary>
    public static Node Reshape(Graph graph, Value input, Value output, string hint) =>
        EdgeOps.Create(OpCode.Reshape, graph.UniqueName(hint), [input], [output]);

    /// <summary>Readers of every value, computed in one sweep (node inputs only; graph outputs are separate).</summary>
    public static Dictionary<Value, List<Node>> Uses(Graph graph)
    {
        var uses = new Dictionary<Value, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var n in graph.Nodes)
            foreach (var v in n.Inputs)
            {
                if (v is null) continue;
                if (!uses.TryGetValue(v, out var list)) uses[v] = list = new List<Node>();
                if (list.Count == 0 || !ReferenceEquals(list[^1], n)) list.Add(n);
            }
        return uses;
    }

    public static IReadOnlyList<Node> Readers(Dictionary<Value, List<Node>> uses, Value v) =>
        uses.TryGetValue(v, out var list) ? list : [];

    /// <summary>Whether anything reads <paramref name="v"/>: a node or the graph outputs.</summary>
    public static bool IsUsed(Graph graph, Dictionary<Value, List<Node>> uses, Value v) =>
        graph.IsGraphOutput(v) || (uses.TryGetValue(v, out var list) && list.Count > 0);

    /// <summary>
    /// Removes <paramref name="node"/> and makes the readers of its output <paramref name="output"/> read
    /// <paramref name="replacement"/> (which must hold the same data in the same shape). A graph output
    /// keeps its name: the replacement takes it over. Returns false (and changes nothing) when that is
    /// impossible because the replacement is itself a graph input or output that must keep its own name.
    /// </summary>
    public static bool TryBypass(Graph graph, Node node, Value output, Value replacement)
    {
        bool isOutput = graph.IsGraphOutput(output);
        if (isOutput)
        {
            bool pinned = graph.Inputs.Any(i => ReferenceEquals(i, replacement)) || graph.IsGraphOutput(replacement);
            if (pinned) return false;
        }
        graph.ReplaceAllUses(output, replacement);
        graph.RemoveNode(node);
        if (isOutput) replacement.Name = output.Name;
        return true;
    }

    /// <summary>Removes nodes none of whose outputs is read, repeatedly. Returns whether any was removed.</summary>
    public static bool RemoveDeadNodes(Graph graph)
    {
        bool any = false;
        while (true)
        {
            var uses = Uses(graph);
            var dead = graph.Nodes.Where(n => n.Outputs.All(o => !IsUsed(graph, uses, o))).ToList();
            if (dead.Count == 0) return any;
            foreach (var n in dead) graph.RemoveNode(n);
            any = true;
        }
    }

    /// <summary>Whether every element of a float constant is exactly <paramref name="value"/>.</summary>
    public static bool IsConstantAll(Value? v, float value) =>
        v?.Constant is { Floats: { Length: > 0 } f } && f.All(x => x == value)
        || v?.Constant is { Longs: { Length: > 0 } l } && l.All(x => x == value);

    /// <summary>The single value of a constant holding one element (any shape), else null.</summary>
    public static float? ScalarOf(Value? v) =>
        v?.Constant is { Count: 1 } c ? c.AsFloats()[0] : null;

    public static string ShapeText(int[]? shape) => shape is null ? "?" : "[" + string.Join(',', shape) + "]";
}
