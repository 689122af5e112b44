using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Canonical;

/// <summary>Reduce* → Reduce with normalized ascending Axes (ReduceL1 = Abs then Sum; an empty no-op reduction is a copy).</summary>
internal static class ReduceRule
{
    public static bool TryRewrite(Graph graph, Node node)
    {
        ReduceKind kind;
        bool abs = false;
        switch (node.OpType)
        {
            case "ReduceMean": kind = ReduceKind.Mean; break;
            case "ReduceSum": kind = ReduceKind.Sum; break;
            case "ReduceMax": kind = ReduceKind.Max; break;
            case "ReduceMin": kind = ReduceKind.Min; break;
            case "ReduceProd": kind = ReduceKind.Prod; break;
            case "ReduceL2": kind = ReduceKind.L2; break;
            case "ReduceSumSquare": kind = ReduceKind.SumSquare; break;
            case "ReduceL1": kind = ReduceKind.Sum; abs = true; break;
            default: return false;
        }
        var x = node.Input(0);
        var shape = Rewrite.InputShape(node);
        var axes = OnnxOpArguments.ReduceAxes(node, graph.Opset, shape.Length, out bool keepDims);
        if (axes.Length == 0)
        {
            Rewrite.Become(node, OpCode.Reshape, x);
            return true;
        }
        if (abs)
        {
            var absolute = GraphRewrite.NewValue(graph, $"{node.Name}_abs", shape);
            graph.InsertBefore(node, EdgeOps.Unary(graph, ActivationKind.Abs, x, absolute, $"{node.Name}_abs"));
            x = absolute;
        }
        Rewrite.Become(node, OpCode.Reduce, x)
            .SetParam(ParamKey.Kind, (int)kind).SetParam(ParamKey.Axes, axes).SetParam(ParamKey.KeepDims, keepDims ? 1 : 0);
        return true;
    }
}
