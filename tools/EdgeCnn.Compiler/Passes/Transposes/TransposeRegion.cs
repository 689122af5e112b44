using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Transposes;

/// <summary>
/// The layout-agnostic nodes reachable from a transpose with perm p, all of whose data inputs are
/// transposed by p (by the seed or by other transposes with the same perm, which join as seeds) or constants.
/// Sinking runs them on the untransposed data and transposes only what leaves the region.
/// </summary>
internal sealed class TransposeRegion
{
    private readonly int[] _perm;
    private readonly List<Node> _seeds = [];
    private readonly List<Node> _nodes = [];
    private readonly HashSet<Node> _members = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Value, SinkKind> _kinds = new(ReferenceEqualityComparer.Instance);
    /// <summary>Values seen transposed by p inside the region (seed outputs and SamePerm outputs).</summary>
    private readonly HashSet<Value> _view = new(ReferenceEqualityComparer.Instance);

    private TransposeRegion(int[] perm) => _perm = perm;

    public static TransposeRegion? Grow(Graph graph, Node seed, int[] perm)
    {
        var region = new TransposeRegion(perm);
        region.AddSeed(seed);
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var n in graph.Nodes)
            {
                if (region._members.Contains(n) || n.Is(OpCode.Transpose)) continue;
                if (!n.Inputs.Any(v => v is not null && region._view.Contains(v))) continue;
                if (region.TryAdd(n)) grew = true;
            }
        }
        return region._nodes.Count == 0 ? null : region;
    }

    private void AddSeed(Node seed)
    {
        _seeds.Add(seed);
        _view.Add(seed.Outputs[0]);
    }

    private bool IsSameTranspose(Value v) =>
        v.Producer is { } t && t.Is(OpCode.Transpose) && t.Ints(ParamKey.Perm) is { } q && q.AsSpan().SequenceEqual(_perm);

    private bool TryAdd(Node n)
    {
        bool InView(Value v) => _view.Contains(v) || IsSameTranspose(v);
        var kind = LayoutAgnosticOps.Classify(n, _perm, InView);
        if (kind == SinkKind.No) return false;
        if (kind == SinkKind.Terminal)
        {
            var x = n.Input(0);
            var xShape = Permutation.Apply(Permutation.Inverse(_perm), x.RequireShape());
            if (!LayoutAgnosticOps.TerminalAccepts(n, _perm, xShape)) return false;
        }
        foreach (var v in n.Inputs)
            if (v is not null && !_view.Contains(v) && IsSameTranspose(v))
                AddSeed(v.Producer!);
        _nodes.Add(n);
        _members.Add(n);
        foreach (var o in n.Outputs)
        {
            _kinds[o] = kind;
            if (kind == SinkKind.SamePerm) _view.Add(o);
        }
        return true;
    }

    private List<Node> OutsideReaders(Dictionary<Value, List<Node>> uses, Value v) =>
        GraphRewrite.Readers(uses, v).Where(r => !_members.Contains(r)).ToList();

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
        foreach (var n in _nodes)
        {
            foreach (var o in n.Outputs)
            {
                var outside = OutsideReaders(uses, o);
                bool isOutput = graph.IsGraphOutput(o);
                if (outside.Count == 0 && !isOutput) continue;
                if (_kinds[o] == SinkKind.Terminal)
                {
                    var xShape = Permutation.Apply(Permutation.Inverse(_perm), n.Input(0).RequireShape());
                    if (TerminalOutputPerm(n, xShape) is null) continue;
                }
                if (!isOutput && outside.All(r => r.Is(OpCode.Transpose)))
                {
                    // The new transpose merges into each reader; inverse readers disappear entirely.
                    added -= outside.Count(r => Permutation.IsIdentity(Permutation.Then(_perm, r.Ints(ParamKey.Perm)!)));
                    continue;
                }
                added++;
                addedElements += Elements(o);
            }
        }
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
        var inv = Permutation.Inverse(_perm);
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
                else throw new InvalidOperationException($"{n} reads '{v.Name}', which is neither transposed nor constant");
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
}
