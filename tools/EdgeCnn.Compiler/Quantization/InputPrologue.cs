using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>
/// The normalization some models do inside the graph, right after an input: Add, Sub, Mul and Div with a constant
/// operand (x − mean, · 1/std), possibly with data movement (the NCHW→NHWC reshape or transpose) in between. Without
/// <see cref="QuantizerOptions.Int8Input"/> these stay float (they only join int8 regions). With it they run int8 and
/// start the region, so the Quantize moves up to the graph input, where <see cref="InputQuantizationFusion"/> can take
/// it away: an image then goes to int8 codes of the raw input, and the normalization runs on them as int8 ops that
/// requantize (a little rounding that the float-prologue model does not have, which is why this only happens on request).
/// </summary>
internal static class InputPrologue
{
    /// <summary>Rewrites each prologue Div by a constant into a Mul by its reciprocal (Div has no int8 variant). The
    /// output value, and so its calibrated range, stays the same. Returns how many were rewritten.</summary>
    public static int RewriteDivisions(Graph graph)
    {
        int rewritten = 0;
        foreach (var node in Find(graph))
        {
            if ((BinaryKind)node.Int(ParamKey.Kind, 0) != BinaryKind.Div) continue;
            var divisor = node.Input(1).Constant!;
            var reciprocal = divisor.AsFloats().Select(d => 1f / d).ToArray();
            node.Inputs[1] = graph.NewConstant($"{node.Input(1).Name}_reciprocal", TensorData.FromFloats(divisor.Shape, reciprocal));
            node.SetParam(ParamKey.Kind, (int)BinaryKind.Mul);
            rewritten++;
        }
        return rewritten;
    }

    /// <summary>The prologue nodes: arithmetic with one constant operand whose other operand is a graph input, or
    /// comes from one through prologue nodes and data movement alone.</summary>
    public static HashSet<Node> Find(Graph graph)
    {
        var uses = GraphRewrite.Uses(graph);
        var found = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Value>(graph.Inputs.Where(v => v.Type == ElementType.Float32));
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var reader in GraphRewrite.Readers(uses, v))
            {
                bool follows = IsArithmeticOnConstant(reader, v) ? found.Add(reader) : IsDataMovementOf(reader, v);
                if (!follows) continue;
                foreach (var o in reader.Outputs) queue.Enqueue(o);
            }
        }
        return found;
    }

    private static bool IsArithmeticOnConstant(Node node, Value data)
    {
        if (!node.Is(OpCode.Binary) || node.Inputs.Count != 2 || node.Activation() != ActivationKind.None) return false;
        var kind = (BinaryKind)node.Int(ParamKey.Kind, 0);
        if (kind is not (BinaryKind.Add or BinaryKind.Sub or BinaryKind.Mul or BinaryKind.Div)) return false;
        int dataIndex = ReferenceEquals(node.Inputs[0], data) ? 0 : ReferenceEquals(node.Inputs[1], data) ? 1 : -1;
        // A division needs the constant as divisor to become a multiplication.
        if (dataIndex < 0 || (kind == BinaryKind.Div && dataIndex != 0)) return false;
        var other = node.Inputs[1 - dataIndex];
        if (other?.Constant is not { } constant || constant.AsFloats().Any(c => !float.IsFinite(c) || (kind == BinaryKind.Div && c == 0))) return false;
        // The output must have the data's shape: a constant that broadcasts the data up would change what the input feeds.
        return node.Outputs.Count == 1 && node.Outputs[0].Shape is { } shape && data.Shape is { } dataShape && shape.SequenceEqual(dataShape);
    }

    /// <summary>Ops whose every output element is a copy of one element of their data input (input 0), with any other
    /// input a constant: quantizing before them gives the codes quantizing after them would.</summary>
    public static bool IsDataMovementOf(Node node, Value data)
    {
        if (!node.TryGetCode(out var code)) return false;
        if (code is not (OpCode.Transpose or OpCode.Reshape or OpCode.Slice or OpCode.Split or OpCode.Gather
            or OpCode.ChannelShuffle or OpCode.DepthToSpace or OpCode.SpaceToDepth)) return false;
        if (node.Inputs.Count == 0 || !ReferenceEquals(node.Inputs[0], data)) return false;
        for (int i = 1; i < node.Inputs.Count; i++)
            if (node.Inputs[i] is { IsConstant: false }) return false;
        return true;
    }
}
