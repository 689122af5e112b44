using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes.Canonical;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Passes.Layout;

/// <summary>The per-op part of the layout pass: ONNX NCHW attributes → NHWC edge params (in place; the
/// pass wraps the node in transposes afterwards).</summary>
internal static class SpatialConversions
{
    public static void Conv(Graph graph, Node node)
    {
        var x = node.Input(0);
        var w = node.Input(1);
        var bias = node.InputOrNull(2);
        var inShape = x.RequireShape();
        var weights = ConstantWeights(graph, node, w);
        if (weights.Rank != 4) throw Rewrite.Invalid(node, $"weights '{w.Name}' must be 4-D, are {weights}");
        int group = checked((int)node.GetInt("group", 1));
        int cout = weights.Shape[0];
        if (group < 1 || inShape[1] != weights.Shape[1] * group || cout % group != 0)
            throw Rewrite.Invalid(node, $"weights {weights} do not fit {inShape[1]} input channels in {group} groups");
        var kernel = Kernel(node, weights.Shape[2], weights.Shape[3]);
        var window = SpatialWindow.ForConvOrPool(graph, node, kernel, [inShape[2], inShape[3]]);
        CheckBias(node, bias, cout);
        var outShape = Rewrite.OutputShape(node);
        for (int i = 0; i < 2; i++)
        {
            int effective = (kernel[i] - 1) * window.Dilations[i] + 1;
            int expected = (inShape[2 + i] + window.Pads[i] + window.Pads[i + 2] - effective) / window.Strides[i] + 1;
            if (outShape[2 + i] != expected)
                throw Rewrite.Invalid(node, $"output {GraphRewrite.ShapeText(outShape)} does not match the window (expected {expected} along spatial axis {i})");
        }
        var wNhwc = graph.NewConstant($"{w.Name}_ohwi", Permutation.Transpose(weights, Permutation.ToChannelsLast));
        Rewrite.Become(node, OpCode.Conv2D, bias is null ? [x, wNhwc] : [x, wNhwc, bias]);
        SetWindow(node, window);
        node.SetParam(ParamKey.Group, group);
    }

    public static void ConvTranspose(Graph graph, Node node)
    {
        var x = node.Input(0);
        var w = node.Input(1);
        var bias = node.InputOrNull(2);
        var inShape = x.RequireShape();
        var weights = ConstantWeights(graph, node, w);
        if (weights.Rank != 4) throw Rewrite.Invalid(node, $"weights '{w.Name}' must be 4-D, are {weights}");
        int group = checked((int)node.GetInt("group", 1));
        if (group < 1 || weights.Shape[0] != inShape[1] || inShape[1] % group != 0)
            throw Rewrite.Invalid(node, $"weights {weights} do not fit {inShape[1]} input channels in {group} groups");
        int cout = weights.Shape[1] * group;
        var kernel = Kernel(node, weights.Shape[2], weights.Shape[3]);
        var outputPadding = SpatialWindow.Pair(node, "output_padding", 0);
        var window = SpatialWindow.ForConvTranspose(graph, node, kernel, [inShape[2], inShape[3]], outputPadding);
        CheckBias(node, bias, cout);
        var outShape = Rewrite.OutputShape(node);
        if (outShape[1] != cout) throw Rewrite.Invalid(node, $"output has {outShape[1]} channels, the weights give {cout}");
        var wNhwc = graph.NewConstant($"{w.Name}_ihwo", Permutation.Transpose(weights, Permutation.ToChannelsLast));
        Rewrite.Become(node, OpCode.ConvTranspose2D, bias is null ? [x, wNhwc] : [x, wNhwc, bias]);
        SetWindow(node, window);
        node.SetParam(ParamKey.Group, group).SetParam(ParamKey.OutputPadding, outputPadding);
    }

    public static void Pool(Graph graph, Node node)
    {
        var x = node.Input(0);
        var inShape = x.RequireShape();
        var k = node.GetInts("kernel_shape") ?? throw Rewrite.Invalid(node, "attribute 'kernel_shape' is missing");
        if (k.Length != 2) throw Rewrite.Invalid(node, $"kernel_shape has {k.Length} values, 2 expected");
        var window = SpatialWindow.ForConvOrPool(graph, node, [checked((int)k[0]), checked((int)k[1])], [inShape[2], inShape[3]]);
        var op = node.OpType;
        if (op == "MaxPool") Rewrite.DropUnusedOutputs(graph, node, 1);
        bool countIncludePad = node.GetInt("count_include_pad", 0) != 0;
        int p = LpOrder(node);
        var code = op switch { "MaxPool" => OpCode.MaxPool2D, "AveragePool" => OpCode.AveragePool2D, _ => OpCode.LpPool2D };
        Rewrite.Become(node, code, x);
        SetWindow(node, window);
        if (code == OpCode.AveragePool2D) node.SetParam(ParamKey.CountIncludePad, countIncludePad ? 1 : 0);
        if (code == OpCode.LpPool2D) node.SetParam(ParamKey.P, p);
    }

    public static void Simple(Node node, OpCode code) => Rewrite.Become(node, code, node.Input(0));

    public static void Lrn(Node node)
    {
        long size = node.GetInt("size", 0);
        if (size < 1) throw Rewrite.Invalid(node, "attribute 'size' must be positive");
        float alpha = node.GetFloat("alpha", 1e-4f), beta = node.GetFloat("beta", 0.75f), bias = node.GetFloat("bias", 1f);
        Rewrite.Become(node, OpCode.Lrn, node.Input(0))
            .SetParam(ParamKey.Size, (int)size).SetParam(ParamKey.Alpha, alpha).SetParam(ParamKey.Beta, beta).SetParam(ParamKey.Bias, bias);
    }

    public static void DepthToSpace(Graph graph, Node node)
    {
        int block = BlockSize(node);
        var mode = node.GetString("mode", "DCR");
        int modeValue = mode switch
        {
            "DCR" => 0,
            "CRD" => 1,
            _ => throw Rewrite.Unsupported(graph, node, $"mode '{mode}'"),
        };
        Rewrite.Become(node, OpCode.DepthToSpace, node.Input(0)).SetParam(ParamKey.BlockSize, block).SetParam(ParamKey.Mode, modeValue);
    }

    public static void SpaceToDepth(Node node)
    {
        int block = BlockSize(node);
        Rewrite.Become(node, OpCode.SpaceToDepth, node.Input(0)).SetParam(ParamKey.BlockSize, block);
    }

    private static int BlockSize(Node node)
    {
        long b = node.GetInt("blocksize", 0);
        return b >= 1 ? (int)b : throw Rewrite.Invalid(node, "attribute 'blocksize' must be positive");
    }

    private static int LpOrder(Node node)
    {
        if (!node.Attributes.TryGetValue("p", out var attr)) return 2;
        double p = attr.Kind == AttributeKind.Float ? attr.F : attr.I;
        if (p < 1 || p != Math.Floor(p)) throw Rewrite.Invalid(node, $"p = {p} must be a positive integer");
        return (int)p;
    }

    private static TensorData ConstantWeights(Graph graph, Node node, Value w) =>
        w.Constant ?? throw Rewrite.Unsupported(graph, node, $"weights '{w.Name}' must be a compile-time constant");

    private static int[] Kernel(Node node, int kh, int kw)
    {
        var k = node.GetInts("kernel_shape");
        if (k is { Length: > 0 } && (k.Length != 2 || k[0] != kh || k[1] != kw))
            throw Rewrite.Invalid(node, $"kernel_shape [{string.Join(',', k)}] does not match the weights ({kh}x{kw})");
        return [kh, kw];
    }

    private static void CheckBias(Node node, Value? bias, int cout)
    {
        if (bias?.Shape is { } s && (s.Length != 1 || s[0] != cout))
            throw Rewrite.Invalid(node, $"bias '{bias.Name}' has shape {GraphRewrite.ShapeText(s)}, expected [{cout}]");
    }

    private static void SetWindow(Node node, SpatialWindow w) =>
        node.SetParam(ParamKey.Kernel, w.Kernel).SetParam(ParamKey.Strides, w.Strides)
            .SetParam(ParamKey.Dilations, w.Dilations).SetParam(ParamKey.Pads, w.Pads);
}
