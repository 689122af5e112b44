using EdgeCnn.Compiler.Ir;

namespace EdgeCnn.Compiler.Onnx;

/// <summary>
/// The sliding-window geometry of Conv, ConvTranspose and the pools, with auto_pad resolved into
/// explicit pads and ceil_mode resolved into the output size (pads stay as written: windows that
/// ceil_mode adds read past the bottom/right padding).
/// </summary>
public sealed record WindowArgs(
    int[] Kernel, int[] Strides, int[] Dilations, int[] PadsBegin, int[] PadsEnd, int[] OutputPadding, int[] OutputSpatial)
{
    /// <summary>Reads the window of <paramref name="node"/> whose input has spatial dims <paramref name="inputSpatial"/>.
    /// <paramref name="kernel"/> comes from the weights for convolutions, from kernel_shape for pools.</summary>
    public static WindowArgs Read(Node node, int opset, int[] inputSpatial, int[] kernel)
    {
        int n = inputSpatial.Length;
        bool transpose = node.OpType == "ConvTranspose";
        bool pool = node.OpType is "MaxPool" or "AveragePool" or "LpPool";
        var strides = Ints(node, "strides", n, 1);
        var dilations = Ints(node, "dilations", n, 1);
        var pads = node.GetInts("pads");
        if (pads is not null && pads.Length != 2 * n)
            throw OnnxOpArguments.Invalid(node, $"pads has {pads.Length} entries, {2 * n} expected");
        for (int i = 0; i < n; i++)
        {
            if (strides[i] < 1) throw OnnxOpArguments.Invalid(node, $"stride {strides[i]} must be positive");
            if (dilations[i] < 1) throw OnnxOpArguments.Invalid(node, $"dilation {dilations[i]} must be positive");
            if (kernel[i] < 1) throw OnnxOpArguments.Invalid(node, $"kernel size {kernel[i]} must be positive");
        }
        var begin = new int[n];
        var end = new int[n];
        if (pads is not null)
            for (int i = 0; i < n; i++)
            {
                begin[i] = Checked(node, pads[i], "pad");
                end[i] = Checked(node, pads[n + i], "pad");
                if (begin[i] < 0 || end[i] < 0) throw OnnxOpArguments.Invalid(node, $"pads [{string.Join(',', pads)}] are negative");
            }
        string autoPad = node.GetString("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
            throw OnnxOpArguments.Invalid(node, $"auto_pad '{autoPad}' is not an ONNX value");
        var outputPadding = transpose ? Ints(node, "output_padding", n, 0) : new int[n];
        var output = new int[n];
        bool ceil = pool && node.GetInt("ceil_mode", 0) != 0;

        if (transpose)
        {
            var outputShape = node.GetInts("output_shape");
            if (outputShape is not null && outputShape.Length < n)
                throw OnnxOpArguments.Invalid(node, $"output_shape [{string.Join(',', outputShape)}] has fewer than {n} spatial dims");
            for (int i = 0; i < n; i++)
            {
                long dk = (long)dilations[i] * (kernel[i] - 1) + 1;
                long full = (long)strides[i] * (inputSpatial[i] - 1) + outputPadding[i] + dk;
                long target;
                if (outputShape is not null) target = outputShape[outputShape.Length - n + i];
                else if (autoPad is "SAME_UPPER" or "SAME_LOWER") target = (long)inputSpatial[i] * strides[i];
                else
                {
                    if (autoPad == "VALID") begin[i] = end[i] = 0;
                    output[i] = Positive(node, full - begin[i] - end[i], i);
                    continue;
                }
                // An output larger than the full extent is not negative padding: the extra positions at the
                // end receive no input (only the bias), as ONNX Runtime computes it.
                long total = Math.Max(0, full - target);
                // The ONNX spec's split: SAME_UPPER puts the odd pixel at the end, everything else at the start.
                long head = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                begin[i] = Checked(node, head, "pad");
                end[i] = Checked(node, total - head, "pad");
                output[i] = Positive(node, target, i);
            }
            return new WindowArgs(kernel, strides, dilations, begin, end, outputPadding, output);
        }

        for (int i = 0; i < n; i++)
        {
            long dk = (long)dilations[i] * (kernel[i] - 1) + 1;
            long input = inputSpatial[i];
            switch (autoPad)
            {
                case "SAME_UPPER" or "SAME_LOWER":
                {
                    long outSize = (input + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (outSize - 1) * strides[i] + dk - input);
                    long head = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                    begin[i] = (int)head;
                    end[i] = (int)(total - head);
                    output[i] = Positive(node, outSize, i);
                    break;
                }
                case "VALID":
                    begin[i] = end[i] = 0;
                    output[i] = Positive(node, input < dk ? 0 : (input - dk) / strides[i] + 1, i);
                    break;
                default:
                {
                    long span = input + begin[i] + end[i] - dk;
                    if (span < 0) throw OnnxOpArguments.Invalid(node, $"kernel extent {dk} exceeds padded input {input + begin[i] + end[i]} on spatial axis {i}");
                    long outSize = (ceil ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1;
                    // A window may not start in the end padding (the rule the ONNX spec adopted with PyTorch).
                    if (ceil && (outSize - 1) * strides[i] >= input + begin[i]) outSize--;
                    output[i] = Positive(node, outSize, i);
                    break;
                }
            }
        }
        return new WindowArgs(kernel, strides, dilations, begin, end, outputPadding, output);
    }

    private static int[] Ints(Node node, string name, int n, int fallback)
    {
        var v = node.GetInts(name);
        if (v is null) return Enumerable.Repeat(fallback, n).ToArray();
        if (v.Length != n) throw OnnxOpArguments.Invalid(node, $"{name} has {v.Length} entries, {n} expected");
        return Array.ConvertAll(v, x => Checked(node, x, name));
    }

    private static int Checked(Node node, long v, string what) =>
        v is >= int.MinValue and <= int.MaxValue ? (int)v : throw OnnxOpArguments.Invalid(node, $"{what} {v} is out of range");

    private static int Positive(Node node, long v, int axis) =>
        v is >= 1 and <= int.MaxValue ? (int)v : throw OnnxOpArguments.Invalid(node, $"output size {v} on spatial axis {axis} is not positive");
}
