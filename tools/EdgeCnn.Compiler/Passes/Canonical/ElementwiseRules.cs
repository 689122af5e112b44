using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Onnx;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Canonical;

/// <summary>Element-wise ONNX ops → Unary / Binary; Gemm and MatMul keep their meaning.</summary>
internal static class ElementwiseRules
{
    private static readonly Dictionary<string, ActivationKind> Plain = new(StringComparer.Ordinal)
    {
        ["Relu"] = ActivationKind.Relu,
        ["Sigmoid"] = ActivationKind.Sigmoid,
        ["Tanh"] = ActivationKind.Tanh,
        ["HardSwish"] = ActivationKind.HardSwish,
        ["Sqrt"] = ActivationKind.Sqrt,
        ["Exp"] = ActivationKind.Exp,
        ["Log"] = ActivationKind.Log,
        ["Abs"] = ActivationKind.Abs,
        ["Neg"] = ActivationKind.Neg,
        ["Reciprocal"] = ActivationKind.Reciprocal,
        ["Floor"] = ActivationKind.Floor,
        ["Ceil"] = ActivationKind.Ceil,
        ["Softplus"] = ActivationKind.Softplus,
        ["Erf"] = ActivationKind.Erf,
    };

    private static readonly Dictionary<string, BinaryKind> Binaries = new(StringComparer.Ordinal)
    {
        ["Add"] = BinaryKind.Add,
        ["Sub"] = BinaryKind.Sub,
        ["Mul"] = BinaryKind.Mul,
        ["Div"] = BinaryKind.Div,
        ["Pow"] = BinaryKind.Pow,
        ["Max"] = BinaryKind.Max,
        ["Min"] = BinaryKind.Min,
        ["PRelu"] = BinaryKind.PRelu,
    };

    public static bool TryRewrite(Graph graph, Node node)
    {
        var op = node.OpType;
        if (Plain.TryGetValue(op, out var kind))
        {
            Rewrite.Become(node, OpCode.Unary, node.Input(0)).SetParam(ParamKey.Activation, (int)kind);
            return true;
        }
        switch (op)
        {
            case "LeakyRelu":
                Unary(node, ActivationKind.LeakyRelu, node.GetFloat("alpha", 0.01f), null);
                return true;
            case "Elu":
                Unary(node, ActivationKind.Elu, node.GetFloat("alpha", 1f), null);
                return true;
            case "HardSigmoid":
                Unary(node, ActivationKind.HardSigmoid, node.GetFloat("alpha", 0.2f), node.GetFloat("beta", 0.5f));
                return true;
            case "Clip":
                var (min, max) = OnnxOpArguments.ClipBounds(node, graph.Opset);
                Unary(node, ActivationKind.Clip, min, max);
                return true;
            case "Gemm":
                var a = node.Input(0);
                var b = node.Input(1);
                if (a.Rank != 2 || b.Rank != 2) throw Rewrite.Invalid(node, "A and B must be 2-D");
                long transA = node.GetInt("transA", 0), transB = node.GetInt("transB", 0);
                float alpha = node.GetFloat("alpha", 1f), beta = node.GetFloat("beta", 1f);
                var c = node.InputOrNull(2);
                Rewrite.Become(node, OpCode.Gemm, c is null ? [a, b] : [a, b, c])
                    .SetParam(ParamKey.TransA, (int)transA).SetParam(ParamKey.TransB, (int)transB)
                    .SetParam(ParamKey.Alpha, alpha).SetParam(ParamKey.Beta, beta);
                return true;
            case "MatMul":
                Rewrite.Become(node, OpCode.MatMul, node.Input(0), node.Input(1));
                return true;
        }
        if (Binaries.TryGetValue(op, out var binary))
        {
            if (node.Inputs.Count != 2) throw Rewrite.Invalid(node, $"expects 2 inputs, has {node.Inputs.Count}");
            Rewrite.Become(node, OpCode.Binary, node.Input(0), node.Input(1)).SetParam(ParamKey.Kind, (int)binary);
            return true;
        }
        return false;
    }

    private static void Unary(Node node, ActivationKind kind, float alpha, float? beta)
    {
        Rewrite.Become(node, OpCode.Unary, node.Input(0)).SetParam(ParamKey.Activation, (int)kind).SetParam(ParamKey.Alpha, alpha);
        if (beta is { } b) node.SetParam(ParamKey.Beta, b);
    }
}
