using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Recognizes hard-swish written out by exporters and replaces it with one Unary HardSwish:
/// x·Clip(x+3, 0, 6)/6 (divided by 6 or multiplied by 1/6, before or after the product, operands in
/// either order) and x·HardSigmoid(x) with alpha = 1/6, beta = 0.5. Intermediate values must have no
/// other readers. Runs on canonical (edge) Binary/Unary nodes.
/// </summary>
public sealed class HardSwishFusionPass : IGraphPass
{
    private const float Sixth = 1f / 6f;

    public string Name => "hardswish-fusion";

    public bool Run(Graph graph)
    {
        bool changed = false;
        bool again = true;
        while (again)
        {
            again = false;
            var uses = GraphRewrite.Uses(graph);
            foreach (var node in graph.Nodes.ToList())
            {
                if (!node.Is(OpCode.Binary) || !TryMatch(graph, uses, node, out var x, out var interior)) continue;
                var y = node.Outputs[0];
                foreach (var n in interior) graph.RemoveNode(n);
                int index = graph.IndexOf(node);
                graph.RemoveNode(node);
                graph.InsertNode(index, EdgeOps.Unary(graph, ActivationKind.HardSwish, x, y, $"{node.Name}_hardswish"));
                changed = again = true;
                break;
            }
        }
        return changed;
    }

    private static BinaryKind KindOf(Node n) => (BinaryKind)n.Int(ParamKey.Kind, 0);

    private static bool TryMatch(Graph graph, Dictionary<Value, List<Node>> uses, Node final, out Value x, out List<Node> interior)
    {
        x = null!;
        interior = [];
        var kind = KindOf(final);
        // (x·clip)/6 or (x·clip)·(1/6)
        if (ScaledBySixth(final, out var scaled) && Single(graph, uses, scaled) is { } product
            && product.Is(OpCode.Binary) && KindOf(product) == BinaryKind.Mul
            && MatchGate(graph, uses, product, out x, out var gate))
        {
            interior = [product, .. gate];
            return true;
        }
        if (kind != BinaryKind.Mul) return false;
        // x·(clip/6), x·(clip·1/6) or x·HardSigmoid(x)
        for (int side = 0; side < 2; side++)
        {
            var candidateX = final.Input(side);
            var other = final.Input(1 - side);
            if (Single(graph, uses, other) is not { } g) continue;
            if (g.Is(OpCode.Unary) && g.Activation() == ActivationKind.HardSigmoid && ReferenceEquals(g.Input(0), candidateX)
                && Near(g.Float(ParamKey.Alpha, 0.2f), Sixth) && g.Float(ParamKey.Beta, 0.5f) == 0.5f)
            {
                x = candidateX;
                interior = [g];
                return true;
            }
            if (g.Is(OpCode.Binary) && ScaledBySixth(g, out var clipped) && Single(graph, uses, clipped) is { } clip
                && IsGate(graph, uses, clip, candidateX, out var chain))
            {
                x = candidateX;
                interior = [g, .. chain];
                return true;
            }
        }
        return false;
    }

    /// <summary>n = v/6 or v·(1/6) (either operand order for Mul); returns v.</summary>
    private static bool ScaledBySixth(Node n, out Value v)
    {
        v = null!;
        var kind = KindOf(n);
        if (kind == BinaryKind.Div && GraphRewrite.ScalarOf(n.Input(1)) == 6f) { v = n.Input(0); return true; }
        if (kind != BinaryKind.Mul) return false;
        for (int side = 0; side < 2; side++)
            if (GraphRewrite.ScalarOf(n.Input(side)) is { } s && Near(s, Sixth) && !n.Input(1 - side).IsConstant)
            {
                v = n.Input(1 - side);
                return true;
            }
        return false;
    }

    /// <summary>product = x·Clip(x+3, 0, 6) in either order.</summary>
    private static bool MatchGate(Graph graph, Dictionary<Value, List<Node>> uses, Node product, out Value x, out List<Node> gate)
    {
        for (int side = 0; side < 2; side++)
        {
            var candidateX = product.Input(side);
            if (Single(graph, uses, product.Input(1 - side)) is { } clip && IsGate(graph, uses, clip, candidateX, out gate))
            {
                x = candidateX;
                return true;
            }
        }
        x = null!;
        gate = [];
        return false;
    }

    /// <summary>clip = Clip(x+3, 0, 6) with the Add's output read only by the clip.</summary>
    private static bool IsGate(Graph graph, Dictionary<Value, List<Node>> uses, Node clip, Value x, out List<Node> chain)
    {
        chain = [];
        if (!clip.Is(OpCode.Unary) || clip.Activation() != ActivationKind.Clip) return false;
        if (clip.Float(ParamKey.Alpha, float.NaN) != 0f || clip.Float(ParamKey.Beta, float.NaN) != 6f) return false;
        if (Single(graph, uses, clip.Input(0)) is not { } add || !add.Is(OpCode.Binary) || KindOf(add) != BinaryKind.Add) return false;
        bool plusThree = (ReferenceEquals(add.Input(0), x) && GraphRewrite.ScalarOf(add.Input(1)) == 3f)
            || (ReferenceEquals(add.Input(1), x) && GraphRewrite.ScalarOf(add.Input(0)) == 3f);
        if (!plusThree) return false;
        chain = [clip, add];
        return true;
    }

    /// <summary>The producer of <paramref name="v"/> if it has exactly one reader and is no graph output.</summary>
    private static Node? Single(Graph graph, Dictionary<Value, List<Node>> uses, Value v) =>
        v.Producer is { } p && !graph.IsGraphOutput(v) && GraphRewrite.Readers(uses, v).Count == 1 && p.Outputs.Count == 1 ? p : null;

    private static bool Near(float a, float b) => Math.Abs(a - b) <= 1e-6f;
}
