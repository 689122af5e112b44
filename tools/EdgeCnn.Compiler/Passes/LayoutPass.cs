using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes.Layout;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Converts ONNX's channels-first spatial ops into the runtime's NHWC ops: each becomes
/// Transpose(NCHW→NHWC) → edge op → Transpose(NHWC→NCHW), with attributes resolved (pads incl. auto_pad,
/// kernel from the weights) and weights transposed to the runtime layout. Channel ops whose axis is not
/// the last (ChannelAffine, ChannelShuffle) get the same treatment. The graph keeps its ONNX layout at
/// every edge between nodes; <see cref="TransposeOptimizationPass"/> then removes the transposes that cancel.
/// </summary>
public sealed class LayoutPass : IGraphPass
{
    private static readonly HashSet<string> SpatialOps = new(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool",
        "LRN", "DepthToSpace", "SpaceToDepth",
    };

    public string Name => "layout-nhwc";

    /// <summary>ONNX ops this pass converts (the canonicalizer leaves them alone).</summary>
    public static bool IsSpatial(string onnxOpType) => SpatialOps.Contains(onnxOpType);

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (CanonicalizePass.IsOnnxDomain(node.Domain) && IsSpatial(node.OpType))
            {
                ConvertSpatial(graph, node);
                changed = true;
            }
            else if ((node.Is(OpCode.ChannelAffine) || node.Is(OpCode.ChannelShuffle)) && !AxisIsLast(node))
            {
                MoveChannelAxisLast(graph, node);
                changed = true;
            }
        }
        return changed;
    }

    private static bool AxisIsLast(Node node) => node.Int(ParamKey.Axis, -1) == node.Input(0).Rank - 1;

    private static void MoveChannelAxisLast(Graph graph, Node node)
    {
        var x = node.Input(0);
        int rank = x.Rank;
        int axis = node.Int(ParamKey.Axis, -1);
        if (axis < 0 || axis >= rank) throw new OnnxImportException($"{node}: axis {axis} is out of range for rank {rank}");
        var perm = Permutation.MoveAxisToLast(rank, axis);
        Wrap(graph, node, perm);
        node.SetParam(ParamKey.Axis, rank - 1);
    }

    private static void ConvertSpatial(Graph graph, Node node)
    {
        var x = node.Input(0);
        var shape = x.RequireShape();
        if (shape.Length != 4)
            throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset,
                $"input '{x.Name}' has shape {GraphRewrite.ShapeText(shape)}; only 4-D (NCHW) inputs are supported here (1-D inputs are widened earlier)");
        var original = node.OpType;
        switch (original)
        {
            case "Conv": SpatialConversions.Conv(graph, node); break;
            case "ConvTranspose": SpatialConversions.ConvTranspose(graph, node); break;
            case "MaxPool" or "AveragePool" or "LpPool": SpatialConversions.Pool(graph, node); break;
            case "GlobalAveragePool": SpatialConversions.Simple(node, OpCode.GlobalAveragePool); break;
            case "GlobalMaxPool": SpatialConversions.Simple(node, OpCode.GlobalMaxPool); break;
            case "LRN": SpatialConversions.Lrn(node); break;
            case "DepthToSpace": SpatialConversions.DepthToSpace(graph, node); break;
            case "SpaceToDepth": SpatialConversions.SpaceToDepth(node); break;
        }
        Wrap(graph, node, Permutation.ToChannelsLast);
    }

    /// <summary>Makes <paramref name="node"/> read Transpose(x, perm) and write a value whose Transpose by
    /// the inverse perm is its old output, so every other node still sees the old layout.</summary>
    internal static void Wrap(Graph graph, Node node, int[] perm)
    {
        var inverse = Permutation.Inverse(perm);
        var x = node.Input(0);
        var xt = GraphRewrite.NewValue(graph, $"{x.Name}_nhwc", Permutation.Apply(perm, x.RequireShape()));
        graph.InsertBefore(node, GraphRewrite.Transpose(graph, x, perm, xt, $"{node.Name}_in_nhwc"));
        node.Inputs[0] = xt;
        var y = node.Outputs[0];
        var yt = GraphRewrite.NewValue(graph, $"{y.Name}_nhwc", Permutation.Apply(perm, y.RequireShape()));
        node.Outputs[0] = yt;
        yt.Producer = node;
        graph.InsertAfter(node, GraphRewrite.Transpose(graph, yt, inverse, y, $"{node.Name}_out_nchw"));
    }
}
