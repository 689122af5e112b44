using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// ShuffleNet's channel shuffle, exported as Reshape [N,C,H,W]→[N,g,C/g,H,W] → Transpose [0,2,1,3,4] →
/// Reshape back to [N,C,H,W], becomes one ChannelShuffle over axis 1 (the layout pass then moves it to
/// NHWC, where it runs as one pass over the data). Runs on canonical nodes, before the layout pass.
/// </summary>
public sealed class ChannelShuffleFusionPass : IGraphPass
{
    public string Name => "channel-shuffle-fusion";

    public bool Run(Graph graph)
    {
        bool changed = false;
        var uses = GraphRewrite.Uses(graph);
        foreach (var last in graph.Nodes.ToList())
        {
            if (!last.Is(OpCode.Reshape) || !graph.Nodes.Contains(last)) continue;
            if (last.Input(0).Producer is not { } transpose || !transpose.Is(OpCode.Transpose) || !SingleUse(graph, uses, last.Input(0))) continue;
            if (transpose.Ints(ParamKey.Perm) is not [0, 2, 1, 3, 4]) continue;
            if (transpose.Input(0).Producer is not { } first || !first.Is(OpCode.Reshape) || !SingleUse(graph, uses, transpose.Input(0))) continue;
            var x = first.Input(0);
            var grouped = first.Outputs[0].RequireShape();
            var inShape = x.RequireShape();
            var outShape = last.Outputs[0].RequireShape();
            if (inShape.Length != 4 || !inShape.AsSpan().SequenceEqual(outShape)) continue;
            if (grouped[0] != inShape[0] || grouped[1] * grouped[2] != inShape[1] || grouped[3] != inShape[2] || grouped[4] != inShape[3]) continue;
            int groups = grouped[1];
            graph.RemoveNode(first);
            graph.RemoveNode(transpose);
            int index = graph.IndexOf(last);
            graph.RemoveNode(last);
            var shuffle = EdgeOps.Create(OpCode.ChannelShuffle, graph.UniqueName($"{last.Name}_shuffle"), [x], [last.Outputs[0]])
                .SetParam(ParamKey.Group, groups).SetParam(ParamKey.Axis, 1);
            graph.InsertNode(index, shuffle);
            changed = true;
        }
        return changed;
    }

    private static bool SingleUse(Graph graph, Dictionary<Value, List<Node>> uses, Value v) =>
        !graph.IsGraphOutput(v) && GraphRewrite.Readers(uses, v).Count == 1;
}
