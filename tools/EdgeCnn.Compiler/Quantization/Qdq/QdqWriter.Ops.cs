using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization.Qdq;

/// <summary>The ONNX form of each edge op. An op reads its inputs' float views and writes a float result that
/// <see cref="Produce"/> quantizes when the IR value is int8: ONNX Runtime sees DQ → op → Q.</summary>
internal sealed partial class QdqWriter
{
    private static readonly int[] Nchw = Permutation.ToChannelsFirst;

    private void WriteNode(Node node)
    {
        if (!node.TryGetCode(out var code))
            throw new UnsupportedOperatorException(node.OpType, node.Name, _builder.Opset, "the QDQ export writes optimized edge graphs only");
        switch (code)
        {
            case OpCode.Quantize:
            {
                string view = Read(node.Input(0), out var layout);
                Produce(node.Outputs[0], view, layout);
                break;
            }
            case OpCode.Dequantize:
            {
                string view = Read(node.Input(0), out var layout);
                _floatView[node.Outputs[0]] = view;
                _layout[node.Outputs[0]] = layout;
                break;
            }
            case OpCode.Transpose: WriteTranspose(node); break;
            case OpCode.Reshape: WriteReshape(node); break;
            case OpCode.Conv2D: WriteConv(node, "Conv"); break;
            case OpCode.ConvTranspose2D: WriteConv(node, "ConvTranspose"); break;
            case OpCode.FullyConnected: WriteFullyConnected(node); break;
            case OpCode.MaxPool2D: WritePool(node, "MaxPool"); break;
            case OpCode.AveragePool2D: WritePool(node, "AveragePool"); break;
            case OpCode.GlobalAveragePool: WriteSpatial(node, "GlobalAveragePool"); break;
            case OpCode.GlobalMaxPool: WriteSpatial(node, "GlobalMaxPool"); break;
            case OpCode.Lrn: WriteLrn(node); break;
            case OpCode.DepthToSpace or OpCode.SpaceToDepth: WriteDepthSpace(node, code); break;
            case OpCode.ChannelShuffle: WriteChannelShuffle(node); break;
            case OpCode.ChannelAffine: WriteChannelAffine(node); break;
            case OpCode.Unary: WriteUnary(node); break;
            case OpCode.Binary: WriteBinary(node); break;
            case OpCode.Concat: WriteConcat(node); break;
            case OpCode.Softmax: WriteSoftmax(node); break;
            case OpCode.Split: WriteSplit(node); break;
            case OpCode.Slice: WriteSlice(node); break;
            case OpCode.Pad: WritePad(node); break;
            case OpCode.Gather: WriteGather(node); break;
            case OpCode.Gemm: WriteGemm(node); break;
            case OpCode.MatMul: WriteMatMul(node); break;
            case OpCode.Resize: WriteResize(node); break;
            case OpCode.Reduce: WriteReduce(node); break;
            default:
                throw new UnsupportedOperatorException(code.ToString(), node.Name, _builder.Opset, "the QDQ export has no ONNX form for it");
        }
    }

    /// <summary>A transpose only changes which layout the value is held in: nothing is written.</summary>
    private void WriteTranspose(Node node)
    {
        var perm = node.Ints(ParamKey.Perm) ?? throw Missing(node, ParamKey.Perm);
        var input = node.Input(0);
        var output = node.Outputs[0];
        string view = Read(input, out var layout);
        // out = Transpose(in, P) and onnx = Transpose(in, σ_in) = Transpose(out, σ_out) give σ_out[i] = P⁻¹[σ_in[i]].
        var outLayout = Permutation.Apply(layout, Permutation.Inverse(perm));
        Alias(input, output, view, outLayout);
    }

    /// <summary>Passes a float view on when the output holds the same numbers (float, or int8 with the input's
    /// quantization); otherwise the view is quantized for the output.</summary>
    private void Alias(Value input, Value output, string view, int[] layout)
    {
        bool same = output.Type == ElementType.Float32
            || (input.Type == ElementType.Int8 && output.Type == ElementType.Int8 && input.Quant is { } a && output.Quant is { } b
                && QuantizationPlan.SameQuant(a, b));
        if (same)
        {
            _floatView[output] = view;
            _layout[output] = layout;
        }
        else
        {
            Produce(output, view, layout);
        }
    }

    private void WriteReshape(Node node)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        string view = Read(input, Permutation.Identity(input.Rank));
        string shape = Initializer($"{node.Name}_shape", TensorData.FromLongs([output.Rank], Longs(output.RequireShape())));
        string raw = RawName(output);
        _builder.AddNode("Reshape", [view, shape], [raw], Fresh(node.Name));
        Produce(output, raw, Permutation.Identity(output.Rank));
    }

    private void WriteConv(Node node, string opType)
    {
        var output = node.Outputs[0];
        string weights = opType == "ConvTranspose" && node.Input(1).Type == ElementType.Int8 && node.Int(ParamKey.Group, 1) != 1
            ? GroupedTransposedWeights(node)
            : Read(node.Input(1), WeightLayout(node, opType));
        var inputs = new List<string> { Read(node.Input(0), Nchw), weights };
        if (node.InputOrNull(2) is { } bias) inputs.Add(Read(bias, [0]));
        string opOutput = OpOutput(node, output);
        var conv = _builder.AddNode(opType, [.. inputs], [opOutput], Fresh(node.Name))
            .Attr("kernel_shape", Longs(node.Ints(ParamKey.Kernel) ?? throw Missing(node, ParamKey.Kernel)))
            .Attr("strides", Longs(node.Ints(ParamKey.Strides) ?? [1, 1]))
            .Attr("dilations", Longs(node.Ints(ParamKey.Dilations) ?? [1, 1]))
            .Attr("pads", Longs(node.Ints(ParamKey.Pads) ?? [0, 0, 0, 0]))
            .Attr("group", (long)node.Int(ParamKey.Group, 1));
        if (node.Ints(ParamKey.OutputPadding) is { } outputPadding) conv.Attr("output_padding", Longs(outputPadding));
        Produce(output, Activate(node, opOutput, output), Nchw);
    }

    /// <summary>ONNX wants Conv weights [Cout,Cin/g,KH,KW] and ConvTranspose weights [Cin,Cout/g,KH,KW]: the NCHW order of
    /// the edge layouts, except int8 ConvTranspose weights, stored output-channel-major [Cout,KH,KW,Cin/g]
    /// (TransposedConvWeights), which map to ONNX's form by a transpose when there is one group
    /// (<see cref="GroupedTransposedWeights"/> handles several).</summary>
    private static int[] WeightLayout(Node node, string opType) =>
        opType == "ConvTranspose" && node.Input(1).Type == ElementType.Int8 ? [3, 0, 1, 2] : Nchw;

    /// <summary>
    /// Grouped int8 ConvTranspose weights: [Cout,KH,KW,Cin/g] with per-output-channel scales on axis 0 reach ONNX's
    /// [Cin,Cout/g,KH,KW] by no transpose (ONNX's output axis holds Cout/g channels, so Cout scales have no axis to
    /// sit on). The int8 initializer is kept as stored, dequantized per channel on axis 0, and regrouped in float:
    /// Reshape [g,Cout/g,KH,KW,Cin/g] → Transpose to [g,Cin/g,Cout/g,KH,KW] → Reshape [Cin,Cout/g,KH,KW]. The values are
    /// the int8 model's weights exactly; ONNX Runtime folds the constant subgraph at load.
    /// </summary>
    private string GroupedTransposedWeights(Node node)
    {
        var w = node.Input(1);
        var shape = w.RequireShape();
        int groups = node.Int(ParamKey.Group, 1), cout = shape[0], kh = shape[1], kw = shape[2], cpg = shape[3];
        if (groups <= 0 || cout % groups != 0)
            throw new OnnxImportException($"QDQ export: {node}: {cout} output channels do not split into {groups} groups");
        string stored = Read(w, Permutation.Identity(4));
        string grouped = Fresh($"{w.Name}_grouped");
        _builder.AddNode("Reshape", [stored, Initializer($"{node.Name}_weights_grouped_shape", TensorData.FromLongs([5], [groups, cout / groups, kh, kw, cpg]))],
            [grouped], Fresh($"{node.Name}_weights_group"));
        string swapped = Fresh($"{w.Name}_input_major");
        _builder.AddNode("Transpose", [grouped], [swapped], Fresh($"{node.Name}_weights_swap")).Attr("perm", new long[] { 0, 4, 1, 2, 3 });
        string onnx = Fresh($"{w.Name}_onnx");
        _builder.AddNode("Reshape", [swapped, Initializer($"{node.Name}_weights_shape", TensorData.FromLongs([4], [(long)groups * cpg, cout / groups, kh, kw]))],
            [onnx], Fresh($"{node.Name}_weights_ungroup"));
        return onnx;
    }

    /// <summary>Gemm with the [Cout, K] weights transposed (transB): ONNX Runtime's QDQ Gemm pattern.</summary>
    private void WriteFullyConnected(Node node)
    {
        var input = node.Input(0);
        var weights = node.Input(1);
        var output = node.Outputs[0];
        int k = weights.RequireShape()[1];
        string x = Read(input, Permutation.Identity(input.Rank));
        if (input.Rank != 2)
        {
            long rows = input.RequireShape().Aggregate(1L, (a, d) => a * d) / k;
            string flat = Fresh($"{input.Name}_rows");
            _builder.AddNode("Reshape", [x, Initializer($"{node.Name}_rows_shape", TensorData.FromLongs([2], [rows, k]))], [flat], Fresh($"{node.Name}_rows"));
            x = flat;
        }
        var inputs = new List<string> { x, Read(weights, [0, 1]) };
        if (node.InputOrNull(2) is { } bias) inputs.Add(Read(bias, [0]));
        string opOutput = OpOutput(node, output);
        string gemmOutput = output.Rank == 2 ? opOutput : Fresh($"{output.Name}_gemm");
        _builder.AddNode("Gemm", [.. inputs], [gemmOutput], Fresh(node.Name)).Attr("transB", 1L);
        if (output.Rank != 2)
        {
            string shape = Initializer($"{node.Name}_shape", TensorData.FromLongs([output.Rank], Longs(output.RequireShape())));
            _builder.AddNode("Reshape", [gemmOutput, shape], [opOutput], Fresh($"{node.Name}_reshape"));
        }
        Produce(output, Activate(node, opOutput, output), Permutation.Identity(output.Rank));
    }

    private void WritePool(Node node, string opType)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        var kernel = node.Ints(ParamKey.Kernel) ?? throw Missing(node, ParamKey.Kernel);
        var strides = node.Ints(ParamKey.Strides) ?? [1, 1];
        var dilations = node.Ints(ParamKey.Dilations) ?? [1, 1];
        var pads = node.Ints(ParamKey.Pads) ?? [0, 0, 0, 0];
        string raw = RawName(output);
        var pool = _builder.AddNode(opType, [Read(input, Nchw)], [raw], Fresh(node.Name))
            .Attr("kernel_shape", Longs(kernel))
            .Attr("strides", Longs(strides))
            .Attr("pads", Longs(pads))
            .Attr("ceil_mode", CeilMode(node, input.RequireShape(), output.RequireShape(), kernel, strides, dilations, pads) ? 1L : 0L);
        if (opType == "MaxPool") pool.Attr("dilations", Longs(dilations));
        else if (dilations.Any(d => d != 1))
            throw new UnsupportedOperatorException(opType, node.Name, _builder.Opset, "dilated average pooling needs opset 19");
        else pool.Attr("count_include_pad", (long)node.Int(ParamKey.CountIncludePad, 0));
        Produce(output, raw, Nchw);
    }

    /// <summary>The IR resolved ceil_mode into the output size; a size above floor mode's says it was on.</summary>
    private static bool CeilMode(Node node, int[] inputNhwc, int[] outputNhwc, int[] kernel, int[] strides, int[] dilations, int[] pads)
    {
        for (int a = 0; a < 2; a++)
        {
            int extent = inputNhwc[1 + a] + pads[a] + pads[2 + a] - ((kernel[a] - 1) * dilations[a] + 1);
            if (extent < 0) throw new OnnxImportException($"QDQ export: {node}: the window is larger than the padded input");
            if (outputNhwc[1 + a] > extent / strides[a] + 1) return true;
        }
        return false;
    }

    private void WriteSpatial(Node node, string opType)
    {
        var output = node.Outputs[0];
        string raw = RawName(output);
        _builder.AddNode(opType, [Read(node.Input(0), Nchw)], [raw], Fresh(node.Name));
        Produce(output, raw, Nchw);
    }

    private void WriteLrn(Node node)
    {
        var output = node.Outputs[0];
        string raw = RawName(output);
        _builder.AddNode("LRN", [Read(node.Input(0), Nchw)], [raw], Fresh(node.Name))
            .Attr("size", (long)node.Int(ParamKey.Size, 1))
            .Attr("alpha", node.Float(ParamKey.Alpha, 1e-4f))
            .Attr("beta", node.Float(ParamKey.Beta, 0.75f))
            .Attr("bias", node.Float(ParamKey.Bias, 1f));
        Produce(output, raw, Nchw);
    }

    private void WriteDepthSpace(Node node, OpCode code)
    {
        var output = node.Outputs[0];
        string raw = RawName(output);
        var op = _builder.AddNode(code == OpCode.DepthToSpace ? "DepthToSpace" : "SpaceToDepth", [Read(node.Input(0), Nchw)], [raw], Fresh(node.Name))
            .Attr("blocksize", (long)node.Int(ParamKey.BlockSize, 1));
        if (code == OpCode.DepthToSpace) op.Attr("mode", node.Int(ParamKey.Mode, 0) == 1 ? "CRD" : "DCR");
        Produce(output, raw, Nchw);
    }

    /// <summary>[N,C,H,W] → [N,G,C/G,H,W] → swap the group axes → [N,C,H,W], the ONNX spelling of a shuffle.</summary>
    private void WriteChannelShuffle(Node node)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        var nchw = Permutation.Apply(Nchw, input.RequireShape());
        long groups = node.Int(ParamKey.Group, 1);
        if (groups <= 0 || nchw[1] % groups != 0) throw new OnnxImportException($"QDQ export: {node}: {nchw[1]} channels do not split into {groups} groups");
        string grouped = Fresh($"{node.Name}_grouped");
        _builder.AddNode("Reshape", [Read(input, Nchw), Initializer($"{node.Name}_grouped_shape", TensorData.FromLongs([5], [nchw[0], groups, nchw[1] / groups, nchw[2], nchw[3]]))],
            [grouped], Fresh($"{node.Name}_group"));
        string swapped = Fresh($"{node.Name}_swapped");
        _builder.AddNode("Transpose", [grouped], [swapped], Fresh($"{node.Name}_swap")).Attr("perm", new long[] { 0, 2, 1, 3, 4 });
        string raw = RawName(output);
        _builder.AddNode("Reshape", [swapped, Initializer($"{node.Name}_shape", TensorData.FromLongs([4], Longs(nchw)))], [raw], Fresh($"{node.Name}_ungroup"));
        Produce(output, raw, Nchw);
    }

    /// <summary>x·Scale + Shift along the IR's last axis, wherever the layout put that axis.</summary>
    private void WriteChannelAffine(Node node)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        string x = Read(input, out var layout);
        int axis = Permutation.Inverse(layout)[input.Rank - 1];
        var shape = Enumerable.Repeat(1, input.Rank).ToArray();
        shape[axis] = input.RequireShape()[input.Rank - 1];
        string scale = Initializer($"{node.Name}_scale", TensorData.FromFloats(shape, ConstantFloats(node, 1)));
        string shift = Initializer($"{node.Name}_shift", TensorData.FromFloats(shape, ConstantFloats(node, 2)));
        string scaled = Fresh($"{node.Name}_scaled");
        _builder.AddNode("Mul", [x, scale], [scaled], Fresh($"{node.Name}_mul"));
        string opOutput = OpOutput(node, output);
        _builder.AddNode("Add", [scaled, shift], [opOutput], Fresh($"{node.Name}_add"));
        Produce(output, Activate(node, opOutput, output), layout);
    }

    private static float[] ConstantFloats(Node node, int index) =>
        node.Input(index).Constant is { Type: ElementType.Float32 } c ? c.AsFloats()
            : throw new OnnxImportException($"QDQ export: {node}: input {index} is not a float32 constant");

    /// <summary>The ONNX function behind the Unary; an int8 Unary's lookup table (input 1) was built from it.</summary>
    private void WriteUnary(Node node)
    {
        var output = node.Outputs[0];
        string x = Read(node.Input(0), out var layout);
        string raw = RawName(output);
        WriteFunction(node, node.Activation(), x, raw);
        Produce(output, raw, layout);
    }

    private void WriteBinary(Node node)
    {
        var output = node.Outputs[0];
        int rank = output.Rank;
        var computed = node.Inputs.Where(v => v is { IsConstant: false }).Select(v => v!).ToList();
        var layout = computed.Count > 0 && computed.All(v => v.Rank == rank) ? LayoutOf(computed[0]) : Permutation.Identity(rank);
        var inputs = node.Inputs.Select(v => ReadBroadcast(v ?? throw new OnnxImportException($"QDQ export: {node}: an input is missing"), layout)).ToArray();
        var kind = (BinaryKind)node.Int(ParamKey.Kind, 0);
        string opType = kind switch
        {
            BinaryKind.Add => "Add", BinaryKind.Sub => "Sub", BinaryKind.Mul => "Mul", BinaryKind.Div => "Div",
            BinaryKind.Pow => "Pow", BinaryKind.Max => "Max", BinaryKind.Min => "Min", BinaryKind.PRelu => "PRelu",
            _ => throw new UnsupportedOperatorException($"Binary {kind}", node.Name, _builder.Opset),
        };
        string opOutput = OpOutput(node, output);
        _builder.AddNode(opType, inputs, [opOutput], Fresh(node.Name));
        Produce(output, Activate(node, opOutput, output), layout);
    }

    /// <summary>An operand of a broadcasting op in the output's layout. A lower-rank constant gets numpy's leading 1s
    /// first so it can be permuted with the others; a lower-rank computed operand only meets the identity layout.</summary>
    private string ReadBroadcast(Value v, int[] layout)
    {
        if (v.Rank == layout.Length) return Read(v, layout);
        if (v.Constant is { } data && !Permutation.IsIdentity(layout))
        {
            var shape = Enumerable.Repeat(1, layout.Length - v.Rank).Concat(data.Shape).ToArray();
            return ConstantView(v, data.WithShape(shape), layout);
        }
        return Read(v, Permutation.Identity(v.Rank));
    }

    private void WriteConcat(Node node)
    {
        var output = node.Outputs[0];
        var first = node.Inputs.FirstOrDefault(v => v is { IsConstant: false });
        var layout = first is null ? Permutation.Identity(output.Rank) : LayoutOf(first);
        var inputs = node.Inputs.Where(v => v is not null).Select(v => Read(v!, layout)).ToArray();
        int axis = Permutation.Inverse(layout)[node.Int(ParamKey.Axis, 0)];
        string raw = RawName(output);
        _builder.AddNode("Concat", inputs, [raw], Fresh(node.Name)).Attr("axis", (long)axis);
        Produce(output, raw, layout);
    }

    private void WriteSoftmax(Node node)
    {
        var output = node.Outputs[0];
        string x = Read(node.Input(0), out var layout);
        int axis = Permutation.Inverse(layout)[node.Int(ParamKey.Axis, 0)];
        string raw = RawName(output);
        _builder.AddNode(node.Int(ParamKey.Log, 0) == 1 ? "LogSoftmax" : "Softmax", [x], [raw], Fresh(node.Name)).Attr("axis", (long)axis);
        Produce(output, raw, layout);
    }

    private void WriteSplit(Node node)
    {
        string x = Read(node.Input(0), out var layout);
        int axis = Permutation.Inverse(layout)[node.Int(ParamKey.Axis, 0)];
        var sizes = node.Ints(ParamKey.Sizes) ?? throw Missing(node, ParamKey.Sizes);
        string split = Initializer($"{node.Name}_sizes", TensorData.FromLongs([sizes.Length], Longs(sizes)));
        var raws = node.Outputs.Select(RawName).ToArray();
        _builder.AddNode("Split", [x, split], raws, Fresh(node.Name)).Attr("axis", (long)axis);
        for (int i = 0; i < raws.Length; i++) Produce(node.Outputs[i], raws[i], layout);
    }

    private void WriteSlice(Node node)
    {
        var output = node.Outputs[0];
        string x = Read(node.Input(0), out var layout);
        var starts = Permutation.Apply(layout, node.Ints(ParamKey.Starts) ?? throw Missing(node, ParamKey.Starts));
        var ends = Permutation.Apply(layout, node.Ints(ParamKey.Ends) ?? throw Missing(node, ParamKey.Ends));
        var steps = Permutation.Apply(layout, node.Ints(ParamKey.Steps) ?? throw Missing(node, ParamKey.Steps));
        // The IR's end −1 under a negative step means "past index 0"; ONNX spells that with the most negative end.
        var onnxEnds = ends.Select((e, i) => steps[i] < 0 && e < 0 ? long.MinValue : e).ToArray();
        int rank = starts.Length;
        string raw = RawName(output);
        _builder.AddNode("Slice",
            [x,
             Initializer($"{node.Name}_starts", TensorData.FromLongs([rank], Longs(starts))),
             Initializer($"{node.Name}_ends", TensorData.FromLongs([rank], onnxEnds)),
             Initializer($"{node.Name}_axes", TensorData.FromLongs([rank], Longs(Permutation.Identity(rank)))),
             Initializer($"{node.Name}_steps", TensorData.FromLongs([rank], Longs(steps)))],
            [raw], Fresh(node.Name));
        Produce(output, raw, layout);
    }

    private void WritePad(Node node)
    {
        var output = node.Outputs[0];
        string x = Read(node.Input(0), out var layout);
        var pads = node.Ints(ParamKey.Pads) ?? throw Missing(node, ParamKey.Pads);
        int rank = layout.Length;
        var begins = Permutation.Apply(layout, pads[..rank]);
        var ends = Permutation.Apply(layout, pads[rank..]);
        string mode = (PadMode)node.Int(ParamKey.Mode, 0) switch
        {
            PadMode.Constant => "constant", PadMode.Reflect => "reflect", PadMode.Edge => "edge",
            var m => throw new UnsupportedOperatorException($"Pad {m}", node.Name, _builder.Opset),
        };
        string raw = RawName(output);
        _builder.AddNode("Pad",
            [x,
             Initializer($"{node.Name}_pads", TensorData.FromLongs([2 * rank], Longs([.. begins, .. ends]))),
             Initializer($"{node.Name}_value", TensorData.FromFloats([], [node.Float(ParamKey.Value, 0f)]))],
            [raw], Fresh(node.Name)).Attr("mode", mode);
        Produce(output, raw, layout);
    }

    /// <summary>Gather may change the rank, so it is written in the IR's own order.</summary>
    private void WriteGather(Node node)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        var indices = node.Ints(ParamKey.Indices) ?? throw Missing(node, ParamKey.Indices);
        var indicesShape = node.Ints(ParamKey.IndicesShape) ?? [indices.Length];
        string raw = RawName(output);
        _builder.AddNode("Gather",
            [Read(input, Permutation.Identity(input.Rank)), Initializer($"{node.Name}_indices", TensorData.FromLongs(indicesShape, Longs(indices)))],
            [raw], Fresh(node.Name)).Attr("axis", (long)node.Int(ParamKey.Axis, 0));
        Produce(output, raw, Permutation.Identity(output.Rank));
    }

    private void WriteGemm(Node node)
    {
        var output = node.Outputs[0];
        var inputs = node.Inputs.Where(v => v is not null).Select(v => Read(v!, Permutation.Identity(v!.Rank))).ToArray();
        string opOutput = OpOutput(node, output);
        _builder.AddNode("Gemm", inputs, [opOutput], Fresh(node.Name))
            .Attr("transA", (long)node.Int(ParamKey.TransA, 0))
            .Attr("transB", (long)node.Int(ParamKey.TransB, 0))
            .Attr("alpha", node.Float(ParamKey.Alpha, 1f))
            .Attr("beta", node.Float(ParamKey.Beta, 1f));
        Produce(output, Activate(node, opOutput, output), Permutation.Identity(output.Rank));
    }

    private void WriteMatMul(Node node)
    {
        var output = node.Outputs[0];
        var inputs = node.Inputs.Select(v => Read(v!, Permutation.Identity(v!.Rank))).ToArray();
        string raw = RawName(output);
        _builder.AddNode("MatMul", inputs, [raw], Fresh(node.Name));
        Produce(output, raw, Permutation.Identity(output.Rank));
    }

    /// <summary>ONNX Resize with the IR's per-axis scales permuted into the input's layout (an NHWC image's scales land
    /// on NCHW's axes), and the IR's modes by their ONNX names.</summary>
    private void WriteResize(Node node)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        string x = Read(input, out var layout);
        var scales = node.Floats(ParamKey.Scales);
        if (scales is not null && scales.Length != input.Rank) throw new OnnxImportException($"QDQ export: {node}: {scales.Length} scales for a rank-{input.Rank} input");
        string mode = (ResizeMode)node.Int(ParamKey.Mode, 0) switch
        {
            ResizeMode.Nearest => "nearest", ResizeMode.Linear => "linear",
            var m => throw new UnsupportedOperatorException($"Resize {m}", node.Name, _builder.Opset),
        };
        string coordinates = (ResizeCoordinateMode)node.Int(ParamKey.CoordinateMode, 0) switch
        {
            ResizeCoordinateMode.HalfPixel => "half_pixel", ResizeCoordinateMode.AlignCorners => "align_corners",
            ResizeCoordinateMode.Asymmetric => "asymmetric", ResizeCoordinateMode.PytorchHalfPixel => "pytorch_half_pixel",
            ResizeCoordinateMode.TfHalfPixelForNn => "tf_half_pixel_for_nn",
            var m => throw new UnsupportedOperatorException($"Resize coordinate mode {m}", node.Name, _builder.Opset),
        };
        string nearest = (ResizeNearestMode)node.Int(ParamKey.NearestMode, 0) switch
        {
            ResizeNearestMode.RoundPreferFloor => "round_prefer_floor", ResizeNearestMode.RoundPreferCeil => "round_prefer_ceil",
            ResizeNearestMode.Floor => "floor", ResizeNearestMode.Ceil => "ceil",
            var m => throw new UnsupportedOperatorException($"Resize nearest mode {m}", node.Name, _builder.Opset),
        };
        string raw = RawName(output);
        // Without Scales the IR (like ONNX given sizes) derives each scale as output / input length.
        string[] inputs = scales is not null
            ? [x, "", Initializer($"{node.Name}_scales", TensorData.FromFloats([scales.Length], Permutation.Apply(layout, scales)))]
            : [x, "", "", Initializer($"{node.Name}_sizes", TensorData.FromLongs([output.Rank], Longs(Permutation.Apply(layout, output.RequireShape()))))];
        _builder.AddNode("Resize", inputs, [raw], Fresh(node.Name))
            .Attr("mode", mode)
            .Attr("coordinate_transformation_mode", coordinates)
            .Attr("nearest_mode", nearest)
            .Attr("exclude_outside", (long)node.Int(ParamKey.ExcludeOutside, 0));
        Produce(output, raw, layout);
    }

    /// <summary>ONNX Reduce* over the IR's axes (none = all) moved into the input's layout. Without KeepDims the
    /// output keeps the input's surviving axes in their ONNX order, so its layout is the input's with the reduced
    /// axes taken out and the rest renumbered.</summary>
    private void WriteReduce(Node node)
    {
        var input = node.Input(0);
        var output = node.Outputs[0];
        string x = Read(input, out var layout);
        int rank = input.Rank;
        var irAxes = node.Ints(ParamKey.Axes) is { Length: > 0 } given ? given : Permutation.Identity(rank);
        bool keepDims = node.Int(ParamKey.KeepDims, 1) != 0;
        var inverse = Permutation.Inverse(layout);
        var onnxAxes = irAxes.Select(a => (long)inverse[a]).Order().ToArray();
        var kind = (ReduceKind)node.Int(ParamKey.Kind, 0);
        string opType = kind switch
        {
            ReduceKind.Mean => "ReduceMean", ReduceKind.Sum => "ReduceSum", ReduceKind.Max => "ReduceMax", ReduceKind.Min => "ReduceMin",
            ReduceKind.Prod => "ReduceProd", ReduceKind.L2 => "ReduceL2", ReduceKind.SumSquare => "ReduceSumSquare",
            _ => throw new UnsupportedOperatorException($"Reduce {kind}", node.Name, _builder.Opset),
        };
        string raw = RawName(output);
        // ReduceSum takes its axes as an input from opset 13, the others as an attribute until opset 18.
        var reduce = kind == ReduceKind.Sum
            ? _builder.AddNode(opType, [x, Initializer($"{node.Name}_axes", TensorData.FromLongs([onnxAxes.Length], onnxAxes))], [raw], Fresh(node.Name))
            : _builder.AddNode(opType, [x], [raw], Fresh(node.Name)).Attr("axes", onnxAxes);
        reduce.Attr("keepdims", keepDims ? 1L : 0L);
        Produce(output, raw, keepDims ? layout : ReducedLayout(layout, irAxes));
    }

    /// <summary>The layout of a reduction's output without the reduced axes: ONNX output axis j is the j-th surviving
    /// ONNX input axis, which holds IR input axis layout[k], IR output axis layout[k] minus the reduced axes before it.</summary>
    private static int[] ReducedLayout(int[] layout, int[] reducedIrAxes) =>
        layout.Where(a => !reducedIrAxes.Contains(a)).Select(a => a - reducedIrAxes.Count(r => r < a)).ToArray();

    /// <summary>Where the op itself writes: straight to the value's raw name, or to a temporary its fused
    /// activation reads.</summary>
    private string OpOutput(Node node, Value output) =>
        node.Activation() == ActivationKind.None ? RawName(output) : Fresh($"{output.Name}_preact");

    /// <summary>The fused activation as its own ONNX op (ONNX Runtime folds Relu/Clip into the following
    /// QuantizeLinear when the quantized range already clamps).</summary>
    private string Activate(Node node, string opOutput, Value output)
    {
        if (node.Activation() == ActivationKind.None) return opOutput;
        string raw = RawName(output);
        WriteFunction(node, node.Activation(), opOutput, raw);
        return raw;
    }

    private void WriteFunction(Node node, ActivationKind kind, string input, string output)
    {
        float alpha = node.Floats(ParamKey.Alpha) is { Length: 1 } a ? a[0] : F32Activation.DefaultAlpha(kind);
        float beta = node.Floats(ParamKey.Beta) is { Length: 1 } b ? b[0] : F32Activation.DefaultBeta(kind);
        string name = Fresh($"{node.Name}_{kind}");
        switch (kind)
        {
            case ActivationKind.Clip:
                string min = float.IsNegativeInfinity(alpha) ? "" : Initializer($"{node.Name}_min", TensorData.Scalar(alpha));
                string max = float.IsPositiveInfinity(beta) ? "" : Initializer($"{node.Name}_max", TensorData.Scalar(beta));
                _builder.AddNode("Clip", max.Length > 0 ? [input, min, max] : min.Length > 0 ? [input, min] : [input], [output], name);
                break;
            case ActivationKind.LeakyRelu:
                _builder.AddNode("LeakyRelu", [input], [output], name).Attr("alpha", alpha);
                break;
            case ActivationKind.Elu:
                _builder.AddNode("Elu", [input], [output], name).Attr("alpha", alpha);
                break;
            case ActivationKind.HardSigmoid:
                _builder.AddNode("HardSigmoid", [input], [output], name).Attr("alpha", alpha).Attr("beta", beta);
                break;
            case ActivationKind.Relu or ActivationKind.HardSwish or ActivationKind.Sigmoid or ActivationKind.Tanh
                or ActivationKind.Sqrt or ActivationKind.Exp or ActivationKind.Log or ActivationKind.Abs or ActivationKind.Neg
                or ActivationKind.Reciprocal or ActivationKind.Floor or ActivationKind.Ceil or ActivationKind.Softplus or ActivationKind.Erf:
                _builder.AddNode(kind.ToString(), [input], [output], name);
                break;
            default:
                throw new UnsupportedOperatorException($"activation {kind}", node.Name, _builder.Opset);
        }
    }

    private static OnnxImportException Missing(Node node, ParamKey key) =>
        new($"QDQ export: {node} has no {key} parameter");
}
