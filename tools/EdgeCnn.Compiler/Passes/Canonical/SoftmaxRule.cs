using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Canonical;

/// <summary>
/// Softmax/LogSoftmax → Softmax over one normalized axis. Before opset 13 ONNX flattens the input to
/// [d0·…·d(a−1), da·…·d(r−1)] and normalizes over the second dimension; unless the axis is already the last,
/// that becomes Reshape → Softmax(last) → Reshape.
/// </summary>
internal static class SoftmaxRule
{
    public static bool TryRewrite(Graph graph, Node node)
    {
        if (node.OpType is not ("Softmax" or "LogSoftmax")) return false;
        int log = node.OpType == "LogSoftmax" ? 1 : 0;
        var x = node.Input(0);
        var shape = Rewrite.InputShape(node);
        int rank = shape.Length;
        int axis = OnnxOpArguments.SoftmaxAxis(node, graph.Opset, rank);
        if (!OnnxOpArguments.SoftmaxCoercesTo2D(graph.Opset) || axis == rank - 1 || rank == 0)
        {
            Rewrite.Become(node, OpCode.Softmax, x).SetParam(ParamKey.Axis, Math.Max(axis, 0)).SetParam(ParamKey.Log, log);
            return true;
        }
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis; i < rank; i++) inner *= shape[i];
        int[] flatShape = [checked((int)outer), checked((int)inner)];
        var output = node.Outputs[0];
        var flat = GraphRewrite.NewValue(graph, $"{node.Name}_2d", flatShape);
        var normalized = GraphRewrite.NewValue(graph, $"{node.Name}_2d_out", flatShape);
        graph.InsertBefore(node, GraphRewrite.Reshape(graph, x, flat, $"{node.Name}_flatten"));
        Rewrite.Become(node, OpCode.Softmax, flat).SetParam(ParamKey.Axis, 1).SetParam(ParamKey.Log, log);
        node.Outputs[0] = normalized;
        normalized.Producer = node;
        graph.InsertAfter(node, GraphRewrite.Reshape(graph, normalized, output, $"{node.Name}_unflatten"));
        return true;
    }
}
