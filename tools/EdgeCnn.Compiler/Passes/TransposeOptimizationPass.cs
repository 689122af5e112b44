using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes.Transposes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Removes the transposes the layout pass put around every NHWC op. Local rules: transposes of constants
/// fold, chains merge, identities vanish, duplicates share one node. The global rule sinks a transpose
/// through the region of layout-agnostic ops below it (<see cref="LayoutAgnosticOps"/>): the region runs
/// on untransposed data with its axes renamed and one transpose is put on each value leaving it, which
/// then usually cancels against the next op's NCHW→NHWC transpose. A region is sunk only if that lowers
/// the number of transposes (or, at equal count, the data they move). At the end a transpose that only
/// moves size-1 axes becomes a reshape, and reshape chains collapse.
/// </summary>
public sealed class TransposeOptimizationPass : IGraphPass
{
    public string Name => "transpose-optimization";

    public bool Run(Graph graph)
    {
        bool any = false;
        int limit = 4 * graph.Nodes.Count + 16;
        for (int i = 0; i < limit; i++)
        {
            bool changed = LocalRules(graph);
            changed |= SinkOneRegion(graph);
            if (!changed) break;
            any = true;
        }
        any |= Cleanup(graph);
        return any;
    }

    private static bool IsTranspose(Node n) => n.Is(OpCode.Transpose);

    private static int[] PermOf(Node n) => n.Ints(ParamKey.Perm) ?? throw new InvalidOperationException($"{n} has no Perm");

    /// <summary>Constant folding, identity removal, chain merging, sharing of equal transposes, dead ones removed.</summary>
    private static bool LocalRules(Graph graph)
    {
        bool changed = false;
        foreach (var n in graph.Nodes.ToList())
        {
            if (!IsTranspose(n) || !graph.Nodes.Contains(n)) continue;
            var perm = PermOf(n);
            var x = n.Input(0);
            var y = n.Outputs[0];
            if (x.Constant is { } c)
            {
                graph.RemoveNode(n);
                y.SetConstant(Permutation.Transpose(c, perm));
                changed = true;
                continue;
            }
            if (Permutation.IsIdentity(perm))
            {
                if (GraphRewrite.TryBypass(graph, n, y, x)) changed = true;
                continue;
            }
            if (x.Producer is { } inner && IsTranspose(inner) && graph.Nodes.Contains(inner))
            {
                n.Inputs[0] = inner.Input(0);
                n.SetParam(ParamKey.Perm, Permutation.Then(PermOf(inner), perm));
                changed = true;
            }
        }

        var seen = new Dictionary<(Value, string), Node>();
        foreach (var n in graph.Nodes.ToList())
        {
            if (!IsTranspose(n)) continue;
            var key = (n.Input(0), string.Join(',', PermOf(n)));
            if (seen.TryGetValue(key, out var first))
            {
                if (GraphRewrite.TryBypass(graph, n, n.Outputs[0], first.Outputs[0])) changed = true;
            }
            else
            {
                seen[key] = n;
            }
        }

        var uses = GraphRewrite.Uses(graph);
        foreach (var n in graph.Nodes.ToList())
            if (IsTranspose(n) && !GraphRewrite.IsUsed(graph, uses, n.Outputs[0]))
            {
                graph.RemoveNode(n);
                changed = true;
            }
        return changed;
    }

    private static bool SinkOneRegion(Graph graph)
    {
        var uses = GraphRewrite.Uses(graph);
        foreach (var seed in graph.Nodes.ToList())
        {
            if (!IsTranspose(seed)) continue;
            var region = TransposeRegion.Grow(graph, seed, PermOf(seed));
            if (region is null || !region.IsWorthSinking(graph, uses)) continue;
            region.Sink(graph, uses);
            return true;
        }
        return false;
    }

    /// <summary>Transposes that only move size-1 axes become reshapes; reshape chains collapse; no-op reshapes vanish.</summary>
    private static bool Cleanup(Graph graph)
    {
        bool changed = false;
        foreach (var n in graph.Nodes)
        {
            if (IsTranspose(n) && Permutation.PreservesMemoryOrder(n.Input(0).RequireShape(), PermOf(n)))
            {
                n.OpType = nameof(OpCode.Reshape);
                n.RemoveParam(ParamKey.Perm);
                changed = true;
            }
        }
        foreach (var n in graph.Nodes.ToList())
        {
            if (!n.Is(OpCode.Reshape)) continue;
            if (n.Input(0).Producer is { } inner && inner.Is(OpCode.Reshape) && graph.Nodes.Contains(inner))
            {
                n.Inputs[0] = inner.Input(0);
                changed = true;
            }
            if (n.Input(0).RequireShape().AsSpan().SequenceEqual(n.Outputs[0].RequireShape())
                && GraphRewrite.TryBypass(graph, n, n.Outputs[0], n.Input(0)))
                changed = true;
        }
        var uses = GraphRewrite.Uses(graph);
        foreach (var n in graph.Nodes.ToList())
            if ((n.Is(OpCode.Reshape) || IsTranspose(n)) && !GraphRewrite.IsUsed(graph, uses, n.Outputs[0]))
            {
                graph.RemoveNode(n);
                changed = true;
            }
        return changed;
    }
}
