using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Transposes;

/// <summary>
/// A connected set of layout-agnostic nodes fed by transposes with one perm p (the seeds). Every data input
/// of a member is a seed output, another member's output, a constant (adapted to the untransposed layout)
/// or a foreign value, which gets the inverse transpose (free when such a transpose already exists).
/// Sinking runs the members on untransposed data and transposes only the values that leave the region.
/// </summary>
internal sealed class TransposeRegion
{
    private readonly int[] _perm;
    private readonly int[] _inverse;
    private readonly List<Node> _seeds = [];
    private readonly List<Node> _nodes = [];
    private readonly HashSet<Node> _members = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, SinkKind> _kinds;
    private readonly HashSet<Value> _view;

    private TransposeRegion(int[] perm, Dictionary<Value, SinkKind> kinds, HashSet<Value> view)
    {
        _perm = perm;
        _inverse = Permutation.Inverse(perm);
        _kinds = kinds;
        _view = view;
    }

    /// <summary>Every region for transposes with <paramref name="perm"/>: the nodes reachable from them that can run
    /// untransposed, split into connected components.</summary>
    public static List<TransposeRegion> Find(Graph graph, int[] perm)
    {
        int r = perm.Length;
        var view = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var kinds = new Dictionary<Value, SinkKind>(ReferenceEqualityComparer.Instance);
        var seeds = new List<Node>();
        var members = new List<Node>();
        foreach (var n in graph.Nodes)
        {
            if (n.Is(OpCode.Transpose))
            {
                if (n.Ints(ParamKey.Perm) is { } q && q.AsSpan().SequenceEqual(perm))
                {
                    seeds.Add(n);
                    view.Add(n.Outputs[0]);
                }
                continue;
            }
            if (!n.Inputs.Any(v => v is not null && view.Contains(v))) continue;
            var kind = LayoutAgnosticOps.Classify(n, perm, v => view.Contains(v) || (!v.IsConstant && v.Shape?.Length == r));
            if (kind == SinkKind.No) continue;
            if (kind == SinkKind.Terminal)
            {
                var x = n.Input(0);
                if (!view.Contains(x)) continue;
                var xShape = Permutation.Apply(Permutation.Inverse(perm), x.RequireShape());
                if (!LayoutAgnosticOps.TerminalAccepts(n, perm, xShape)) continue;
            }
            members.Add(n);
            foreach (var o in n.Outputs)
            {
                kinds[o] = kind;
                if (kind == SinkKind.SamePerm) view.Add(o);
            }
        }

        // Connected components over members and seeds (linked through view values).
        var parent = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        Node Root(Node n)
        {
            while (!ReferenceEquals(parent[n], n)) n = parent[n] = parent[parent[n]];
            return n;
        }
        foreach (var n in seeds.Concat(members)) parent[n] = n;
        foreach (var n in members)
            foreach (var v in n.Inputs)
                if (v is not null && view.Contains(v) && v.Producer is { } p && parent.ContainsKey(p))
                    parent[Root(n)] = Root(p);

        var regions = new Dictionary<Node, TransposeRegion>(ReferenceEqualityComparer.Instance);
        TransposeRegion RegionOf(Node n)
        {
            var root = Root(n);
            if (!regions.TryGetValue(root, out var region)) regions[root] = region = new TransposeRegion(perm, kinds, view);
            return region;
        }
        foreach (var n in members)
        {
            var region = RegionOf(n);
            region._nodes.Add(n);
            region._members.Add(n);
        }
        foreach (var s in seeds)
            if (regions.ContainsKey(Root(s))) RegionOf(s)._seeds.Add(s);
        return regions.Values.ToList();
    }

    private bool IsForeign(Value v) => !v.IsConstant && !_view.Contains(v);

    private List<Node> OutsideReaders(Dictionary<Value, List<Node>> uses, Value v) =>
        GraphRewrite.Readers(uses, v).Where(r => !_members.Contains(r)).ToList();

    private Node? ExistingInverse(Dictionary<Value, List<Node>> uses, Value v) =>
        GraphRewrite.Readers(uses, v).FirstOrDefault(t => t.Is(OpCode.Transpose) && t.Ints(ParamKey.Perm)!.AsSpan().SequenceEqual(_inverse));

    /// <summary>Compares the transposes (count, then elements moved) before and after sinking.</summary>
    public bool IsWorthSinking(Graph graph, Dictionary<Value, List<Node>> uses)
    {
        int removed = 0, added = 0;
        long removedElements = 0, addedElements = 0;
        foreach (var s in _seeds)
        {
            var y = s.Outputs[0];
            if (graph.IsGraphOutput(y) || OutsideReaders(uses, y).Count > 0) continue;
            removed++;
            removedElements += Elements(y);
        }
        var foreign = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        foreach (var n in _nodes)
            foreach (var v in n.Inputs)
                if (v is not null && IsForeign(v) && foreign.Add(v) && ExistingInverse(uses, v) is null)
                {
                    added++;
                    addedElements += Elements(v);
                }
        foreach (var n in _nodes)
        {
            foreach (var o in n.Outputs)
            {
                var outside = OutsideReaders(uses, o);
                bool isOutput = graph.IsGraphOutput(o);
                if (outside.Count == 0 && !isOutput) continue;
                if (_kinds[o] == SinkKind.Terminal)
                {
                    var xShape = Permutation.Apply(_inverse, n.Input(0).RequireShape());
                    if (TerminalOutputPerm(n, xShape) is null) continue;
                }
                // The new transpose merges into reading transposes; inverse ones disappear entirely.
                added -= outside.Count(r => r.Is(OpCode.Transpose) && Permutation.IsIdentity(Permutation.Then(_perm, r.Ints(ParamKey.Perm)!)));
                if (!isOutput && outside.All(r => r.Is(OpCode.Transpose))) continue;
                added++;
                addedElements += Elements(o);
            }
        }
        // A tie in count and data is left alone: hoisting uses the opposite rule and the two must not undo each other.
        return added < removed || (added == removed && addedElements < removedElements);
    }

    private int[]? TerminalOutputPerm(Node n, int[] xShape)
    {
        var probe = new Node(n.OpType, n.Name, n.Inputs, n.Outputs, n.Domain);
        foreach (var (k, v) in n.Attributes) probe.Attributes[k] = v;
        return LayoutAgnosticOps.RemapParams(probe, _perm, xShape);
    }

    private static long Elements(Value v) => v.RequireShape().Aggregate(1L, (a, d) => a * d);

    public void Sink(Graph graph, Dictionary<Value, List<Node>> uses)
    {
        var untransposed = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var s in _seeds) untransposed[s.Outputs[0]] = s.Input(0);
        foreach (var n in _nodes)
        {
            for (int i = 0; i < n.Inputs.Count; i++)
            {
                var v = n.Inputs[i];
                if (v is null) continue;
                if (untransposed.TryGetValue(v, out var x)) n.Inputs[i] = x;
                else if (v.Constant is { } c)
                    n.Inputs[i] = graph.NewConstant($"{v.Name}_t", LayoutAgnosticOps.AdaptConstant(n, c, _perm));
                else n.Inputs[i] = untransposed[v] = InverseOf(graph, uses, v, n);
            }
            var xShape = n.Input(0).RequireShape();
            var outputPerm = LayoutAgnosticOps.RemapParams(n, _perm, xShape);
            bool terminal = _kinds[n.Outputs[0]] == SinkKind.Terminal;
            var after = terminal ? outputPerm : _perm;
            if (after is null) continue;
            var afterInverse = Permutation.Inverse(after);
            var anchor = n;
            for (int k = 0; k < n.Outputs.Count; k++)
            {
                var o = n.Outputs[k];
                var inner = GraphRewrite.NewValue(graph, $"{o.Name}_t", Permutation.Apply(afterInverse, o.RequireShape()), o.Type);
                n.Outputs[k] = inner;
                inner.Producer = n;
                if (!terminal) untransposed[o] = inner;
                if (graph.IsGraphOutput(o) || OutsideReaders(uses, o).Count > 0)
                {
                    var t = GraphRewrite.Transpose(graph, inner, after, o, $"{o.Name}_transpose");
                    graph.InsertAfter(anchor, t);
                    anchor = t;
                }
            }
        }
        foreach (var s in _seeds)
        {
            var y = s.Outputs[0];
            if (!graph.IsGraphOutput(y) && OutsideReaders(uses, y).Count == 0) graph.RemoveNode(s);
        }
    }

    /// <summary>Transpose(v, p⁻¹): an existing one, else a new one placed right before <paramref name="reader"/>.</summary>
    private Value InverseOf(Graph graph, Dictionary<Value, List<Node>> uses, Value v, Node reader)
    {
        if (ExistingInverse(uses, v) is { } t && graph.Nodes.Contains(t) && graph.IndexOf(t) < graph.IndexOf(reader)) return t.Outputs[0];
        var output = GraphRewrite.NewValue(graph, $"{v.Name}_t", Permutation.Apply(_inverse, v.RequireShape()), v.Type);
        graph.InsertBefore(reader, GraphRewrite.Transpose(graph, v, _inverse, output, $"{v.Name}_transpose"));
        return output;
    }
}
