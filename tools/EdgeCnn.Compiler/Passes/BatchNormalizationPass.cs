using EdgeCnn.Compiler.Ir;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes;

/// <summary>
/// Turns inference BatchNormalization into y = x·a[c] + b[c] with a = scale/√(var+ε), b = B − mean·a.
/// On [N,C] and NCHW inputs this is a ChannelAffine over axis 1 (the layout pass moves NCHW channels last,
/// and the BN-folding pass may merge it into a preceding convolution); other ranks get a Mul and an Add
/// with per-channel constants shaped to broadcast over axis 1.
/// </summary>
public sealed class BatchNormalizationPass : IGraphPass
{
    public string Name => "batchnorm-to-affine";

    public bool Run(Graph graph)
    {
        bool changed = false;
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.Domain.Length != 0 || node.OpType != "BatchNormalization") continue;
            Rewrite(graph, node);
            changed = true;
        }
        return changed;
    }

    private static void Rewrite(Graph graph, Node node)
    {
        int opset = graph.Opset;
        if (node.GetInt("training_mode", 0) != 0)
            throw new UnsupportedOperatorException(node.OpType, node.Name, opset, "training_mode=1 is not supported (inference only)");
        for (int i = 1; i < node.Outputs.Count; i++)
            if (IsRead(graph, node.Outputs[i]))
                throw new UnsupportedOperatorException(node.OpType, node.Name, opset, $"output {i} (running statistics) is used; only inference is supported");
        var x = node.Input(0);
        var shape = x.RequireShape();
        if (shape.Length < 2) throw new OnnxImportException($"node '{node.Name}' (BatchNormalization): input '{x.Name}' has rank {shape.Length}, needs at least 2");
        int channels = shape[1];
        var gamma = Stat(graph, node, 1, "scale", channels);
        var beta = Stat(graph, node, 2, "B", channels);
        var mean = Stat(graph, node, 3, "mean", channels);
        var variance = Stat(graph, node, 4, "var", channels);
        float epsilon = node.GetFloat("epsilon", 1e-5f);
        var a = new float[channels];
        var b = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            a[c] = (float)(gamma[c] / Math.Sqrt((double)variance[c] + epsilon));
            b[c] = (float)(beta[c] - (double)mean[c] * a[c]);
        }
        var output = node.Outputs[0];
        int index = graph.IndexOf(node);
        graph.RemoveNode(node);
        if (shape.Length is 2 or 4)
        {
            var scale = graph.NewConstant($"{node.Name}_scale", TensorData.FromFloats([channels], a));
            var shift = graph.NewConstant($"{node.Name}_shift", TensorData.FromFloats([channels], b));
            var affine = EdgeOps.Create(OpCode.ChannelAffine, node.Name, [x, scale, shift], [output]).SetParam(ParamKey.Axis, 1);
            graph.InsertNode(index, affine);
            return;
        }
        var constShape = new int[shape.Length - 1];
        Array.Fill(constShape, 1);
        constShape[0] = channels;
        var scaleC = graph.NewConstant($"{node.Name}_scale", TensorData.FromFloats(constShape, a));
        var shiftC = graph.NewConstant($"{node.Name}_shift", TensorData.FromFloats(constShape, b));
        var scaled = GraphRewrite.NewValue(graph, $"{node.Name}_scaled", shape);
        graph.InsertNode(index, EdgeOps.Binary(graph, BinaryKind.Mul, x, scaleC, scaled, $"{node.Name}_mul"));
        graph.InsertNode(index + 1, EdgeOps.Binary(graph, BinaryKind.Add, scaled, shiftC, output, $"{node.Name}_add"));
    }

    private static float[] Stat(Graph graph, Node node, int index, string what, int channels)
    {
        var v = node.Input(index);
        var data = v.Constant ?? throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"{what} ('{v.Name}') must be a constant");
        if (data.Count != channels)
            throw new OnnxImportException($"node '{node.Name}' (BatchNormalization): {what} has {data.Count} values for {channels} channels");
        return data.AsFloats();
    }

    private static bool IsRead(Graph graph, Value v) =>
        graph.IsGraphOutput(v) || graph.Nodes.Any(n => n.Inputs.Any(i => ReferenceEquals(i, v)));
}
