using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Passes.Layout;

/// <summary>
/// The 2-D window of a Conv/ConvTranspose/pooling node with every ONNX default and auto_pad resolved:
/// Pads are [top, left, bottom, right] (the order ONNX writes 2-D pads in).
/// </summary>
internal sealed record SpatialWindow(int[] Kernel, int[] Strides, int[] Dilations, int[] Pads)
{
    public static SpatialWindow ForConvOrPool(Graph graph, Node node, int[] kernel, int[] inHw)
    {
        var strides = Pair(node, "strides", 1);
        var dilations = Pair(node, "dilations", 1);
        var autoPad = node.GetString("auto_pad", "NOTSET");
        int[] pads;
        switch (autoPad)
        {
            case "NOTSET":
                pads = Quad(node, "pads");
                break;
            case "VALID":
                pads = [0, 0, 0, 0];
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                pads = new int[4];
                for (int i = 0; i < 2; i++)
                {
                    int outSize = (inHw[i] + strides[i] - 1) / strides[i];
                    int total = Math.Max(0, (outSize - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - inHw[i]);
                    int small = total / 2, large = total - small;
                    pads[i] = autoPad == "SAME_UPPER" ? small : large;
                    pads[i + 2] = autoPad == "SAME_UPPER" ? large : small;
                }
                break;
            default:
                throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"auto_pad '{autoPad}'");
        }
        return Checked(node, new SpatialWindow(kernel, strides, dilations, pads));
    }

    /// <summary>ConvTranspose: pads from output_shape or auto_pad when given (total padding split by the
    /// spec's rule), else the pads attribute.</summary>
    public static SpatialWindow ForConvTranspose(Graph graph, Node node, int[] kernel, int[] inHw, int[] outputPadding)
    {
        var strides = Pair(node, "strides", 1);
        var dilations = Pair(node, "dilations", 1);
        var autoPad = node.GetString("auto_pad", "NOTSET");
        var outputShape = node.GetInts("output_shape");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER"))
            throw new UnsupportedOperatorException(node.OpType, node.Name, graph.Opset, $"auto_pad '{autoPad}'");
        int[] pads;
        if (outputShape is { Length: > 0 } || autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            pads = new int[4];
            for (int i = 0; i < 2; i++)
            {
                long target = outputShape is { Length: > 0 }
                    ? outputShape[outputShape.Length - 2 + i]
                    : (long)inHw[i] * strides[i];
                long total = (long)strides[i] * (inHw[i] - 1) + outputPadding[i] + (long)(kernel[i] - 1) * dilations[i] + 1 - target;
                if (total < 0)
                {
                    // An output larger than the full extent is not negative padding: the extra positions at the
                    // end receive no input (only the bias), as the importer's shape inference (WindowArgs) sizes
                    // it; the runtime expresses them as output padding (the caller's array, passed on as the param).
                    outputPadding[i] = checked((int)(outputPadding[i] - total));
                    total = 0;
                }
                int half = (int)(total / 2), rest = (int)(total - total / 2);
                if (autoPad == "SAME_UPPER") { pads[i] = half; pads[i + 2] = rest; }
                else { pads[i] = rest; pads[i + 2] = half; }
            }
        }
        else
        {
            pads = autoPad == "VALID" ? [0, 0, 0, 0] : Quad(node, "pads");
        }
        return Checked(node, new SpatialWindow(kernel, strides, dilations, pads));
    }

    public static int[] Pair(Node node, string name, int fallback)
    {
        var v = node.GetInts(name);
        if (v is null || v.Length == 0) return [fallback, fallback];
        if (v.Length != 2) throw Invalid(node, $"{name} has {v.Length} values, 2 expected for a 2-D window");
        return [checked((int)v[0]), checked((int)v[1])];
    }

    private static int[] Quad(Node node, string name)
    {
        var v = node.GetInts(name);
        if (v is null || v.Length == 0) return [0, 0, 0, 0];
        if (v.Length != 4) throw Invalid(node, $"{name} has {v.Length} values, 4 expected for a 2-D window");
        return Array.ConvertAll(v, x => checked((int)x));
    }

    private static SpatialWindow Checked(Node node, SpatialWindow w)
    {
        for (int i = 0; i < 2; i++)
        {
            if (w.Kernel[i] < 1) throw Invalid(node, $"kernel size {w.Kernel[i]} is not positive");
            if (w.Strides[i] < 1) throw Invalid(node, $"stride {w.Strides[i]} is not positive");
            if (w.Dilations[i] < 1) throw Invalid(node, $"dilation {w.Dilations[i]} is not positive");
        }
        return w;
    }

    public static OnnxImportException Invalid(Node node, string detail) =>
        new($"node '{node.Name}' ({node.OpType}): {detail}");
}
