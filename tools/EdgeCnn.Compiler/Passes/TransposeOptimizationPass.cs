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
            changed |= SinkOneRegion(graph) || HoistOne(graph);
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
        var perms = graph.Nodes.Where(IsTranspose).Select(PermOf)
            .DistinctBy(p => string.Join(',', p)).ToList();
        foreach (var perm in perms)
            foreach (var region in TransposeRegion.Find(graph, perm))
                if (region.IsWorthSinking(graph, uses))
                {
                    region.Sink(graph, uses);
                    return true;
                }
        return false;
    }

    /// <summary>
    /// Moves transposes above a layout-agnostic node whose every output is read only by transposes with one
    /// perm q (e.g. a Split of an NCHW input whose halves both feed NHWC convolutions): the node then runs on
    /// transposed inputs. Done only when that leaves fewer transposes.
    /// </summary>
    private static bool HoistOne(Graph graph)
    {
        var uses = GraphRewrite.Uses(graph);
        foreach (var n in graph.Nodes.ToList())
        {
            if (IsTranspose(n) || n.Outputs.Count == 0) continue;
            int[]? q = null;
            int removed = 0;
            bool ok = true;
            foreach (var o in n.Outputs)
            {
                var readers = GraphRewrite.Readers(uses, o);
                if (graph.IsGraphOutput(o) || readers.Count == 0) { ok = false; break; }
                foreach (var t in readers)
                {
                    if (!IsTranspose(t)) { ok = false; break; }
                    var perm = PermOf(t);
                    q ??= perm;
                    if (!perm.AsSpan().SequenceEqual(q)) { ok = false; break; }
                    removed++;
                }
                if (!ok) break;
            }
            if (!ok || q is null) continue;
            int r = q.Length;
            var inverse = Permutation.Inverse(q);
            var data = n.Inputs.Where(v => v is not null && !v.IsConstant).Select(v => v!).Distinct(ReferenceEqualityComparer.Instance).Cast<Value>().ToList();
            if (data.Count == 0 || data.Any(v => v.Shape?.Length != r)) continue;
            if (LayoutAgnosticOps.Classify(n, inverse, v => !v.IsConstant) != SinkKind.SamePerm) continue;
            int added = data.Count(v => Existing(uses, v, q) is null);
            if (added >= removed) continue;
            Hoist(graph, uses, n, q, inverse);
            return true;
        }
        return false;
    }

    private static Node? Existing(Dictionary<Value, List<Node>> uses, Value v, int[] perm) =>
        GraphRewrite.Readers(uses, v).FirstOrDefault(t => IsTranspose(t) && PermOf(t).AsSpan().SequenceEqual(perm));

    private static void Hoist(Graph graph, Dictionary<Value, List<Node>> uses, Node n, int[] q, int[] inverse)
    {
        var transposed = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < n.Inputs.Count; i++)
        {
            var v = n.Inputs[i];
            if (v is null) continue;
            if (v.Constant is { } c)
            {
                n.Inputs[i] = graph.NewConstant($"{v.Name}_t", LayoutAgnosticOps.AdaptConstant(n, c, inverse));
                continue;
            }
            if (!transposed.TryGetValue(v, out var t))
            {
                var existing = Existing(uses, v, q);
                if (existing is not null && graph.IndexOf(existing) < graph.IndexOf(n)) t = existing.Outputs[0];
                else
                {
                    t = GraphRewrite.NewValue(graph, $"{v.Name}_t", Permutation.Apply(q, v.RequireShape()), v.Type);
                    graph.InsertBefore(n, GraphRewrite.Transpose(graph, v, q, t, $"{v.Name}_transpose"));
                }
                transposed[v] = t;
            }
            n.Inputs[i] = t;
        }
        LayoutAgnosticOps.RemapParams(n, inverse, n.Input(0).RequireShape());
        for (int k = 0; k < n.Outputs.Count; k++)
        {
            var o = n.Outputs[k];
            var moved = GraphRewrite.NewValue(graph, $"{o.Name}_t", Permutation.Apply(q, o.RequireShape()), o.Type);
            n.Outputs[k] = moved;
            moved.Producer = n;
            foreach (var t in GraphRewrite.Readers(uses, o).ToList())
            {
                if (GraphRewrite.TryBypass(graph, t, t.Outputs[0], moved)) continue;
                // Both transposes were graph outputs: keep this one as a copy of the moved value.
                t.Inputs[0] = moved;
                t.OpType = nameof(OpCode.Reshape);
                t.RemoveParam(ParamKey.Perm);
            }
        }
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
