using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Gemm (TransA = 0) and MatMul with constant weights become FullyConnected with W[Cout,K] (α and β folded
/// into W and the bias). FullyConnected reads its input as rows of K values whatever its shape, so a
/// Flatten/Reshape in front of it is dropped; a transpose in front of that (an NCHW flatten of NHWC data)
/// is folded into the order of W's columns when it leaves the row axes in place.
/// </summary>
public sealed class FullyConnectedFusionPass : IGraphPass
{
    public string Name => "fully-connected-fusion";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Is(OpCode.Gemm) ? TryGemm(graph, node) : node.Is(OpCode.MatMul) && TryMatMul(graph, node))
            {
                SkipReshapeAndTranspose(graph, node);
                changed = true;
            }
        }
        return changed;
    }

    private static bool TryGemm(Graph graph, Node node)
    {
        if (node.Activation() != ActivationKind.None || node.Int(ParamKey.TransA, 0) != 0) return false;
        if (node.Input(1).Constant is not { Floats: not null } b || b.Rank != 2) return false;
        bool transB = node.Int(ParamKey.TransB, 0) != 0;
        float alpha = node.Float(ParamKey.Alpha, 1f), beta = node.Float(ParamKey.Beta, 1f);
        int n = transB ? b.Shape[0] : b.Shape[1];
        float[]? bias = null;
        if (node.InputOrNull(2) is { } c)
        {
            if (c.Constant is not { } cData) return false;
            var values = cData.AsFloats();
            if (values.Length == 1) bias = Enumerable.Repeat(beta * values[0], n).ToArray();
            else if (values.Length == n && cData.Shape[^1] == n) bias = values.Select(v => beta * v).ToArray();
            else return false;
        }
        var w = transB ? b : Permutation.Transpose(b, [1, 0]);
        var scaled = alpha == 1f ? w : TensorData.FromFloats(w.Shape, w.Floats!.Select(v => alpha * v).ToArray());
        Become(graph, node, node.Input(0), scaled, bias);
        return true;
    }

    private static bool TryMatMul(Graph graph, Node node)
    {
        if (node.Input(1).Constant is not { Floats: not null } b || b.Rank != 2 || node.Input(0).Rank < 1) return false;
        Become(graph, node, node.Input(0), Permutation.Transpose(b, [1, 0]), null);
        return true;
    }

    private static void Become(Graph graph, Node node, Value x, TensorData w, float[]? bias)
    {
        var weights = graph.NewConstant($"{node.Name}_fc_w", w);
        var inputs = new List<Value?> { x, weights };
        if (bias is not null) inputs.Add(graph.NewConstant($"{node.Name}_fc_b", TensorData.FromFloats([bias.Length], bias)));
        node.OpType = nameof(OpCode.FullyConnected);
        node.Attributes.Clear();
        node.Inputs.Clear();
        node.Inputs.AddRange(inputs);
    }

    private static void SkipReshapeAndTranspose(Graph graph, Node fc)
    {
        var uses = GraphRewrite.Uses(graph);
        var x = fc.Input(0);
        if (x.Producer is { } reshape && reshape.Is(OpCode.Reshape) && SingleUse(graph, uses, x))
        {
            fc.Inputs[0] = reshape.Input(0);
            graph.RemoveNode(reshape);
            x = fc.Input(0);
        }
        if (x.Producer is not { } transpose || !transpose.Is(OpCode.Transpose) || !SingleUse(graph, uses, x)) return;
        var w = fc.Input(1).Constant!;
        if (PermutedWeights(transpose, w) is not { } permuted) return;
        fc.Inputs[0] = transpose.Input(0);
        fc.Inputs[1] = graph.NewConstant($"{fc.Name}_fc_w_permuted", permuted);
        graph.RemoveNode(transpose);
    }

    /// <summary>For t = Transpose(y, p) read as rows of K = the product of t's trailing axes from j on, where p
    /// fixes axes 0..j−1: W with its columns in y's order instead of t's. Null when no such j exists.</summary>
    private static TensorData? PermutedWeights(Node transpose, TensorData w)
    {
        var p = transpose.Ints(ParamKey.Perm)!;
        var tShape = transpose.Outputs[0].RequireShape();
        int k = w.Shape[1], cout = w.Shape[0];
        int j = tShape.Length;
        long trailing = 1;
        while (j > 0 && trailing < k) trailing *= tShape[--j];
        if (trailing != k) return null;
        for (int i = 0; i < j; i++)
            if (p[i] != i) return null;
        // The trailing block of t is a transpose of the trailing block of y with perm p[j..] − j.
        var blockPerm = p[j..].Select(a => a - j).ToArray();
        var yBlock = Permutation.Apply(Permutation.Inverse(blockPerm), tShape[j..]);
        // Columns of W in t-order, viewed as [cout, tBlock...]; move them into y-order: [cout, yBlock...].
        var viewed = w.WithShape([cout, .. tShape[j..]]);
        var toY = new[] { 0 }.Concat(Permutation.Inverse(blockPerm).Select(a => a + 1)).ToArray();
        var moved = Permutation.Transpose(viewed, toY);
        if (!moved.Shape.AsSpan(1).SequenceEqual(yBlock)) return null;
        return moved.WithShape([cout, k]);
    }

    private static bool SingleUse(Graph graph, Dictionary<Value, List<Node>> uses, Value v) =>
        !graph.IsGraphOutput(v) && GraphRewrite.Readers(uses, v).Count == 1;
}
