using EdgeCnn.Compiler.Ir;
using EdgeCnn.Compiler.Passes;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Compiler.Quantization;

/// <summary>How an op runs when it runs int8 (and so what the quantizer must give it).</summary>
public enum Int8Role
{
    /// <summary>No int8 variant: the op stays float32.</summary>
    None,
    /// <summary>Conv2D, ConvTranspose2D, FullyConnected: int8 weights (per channel), int32 bias, requantized output.
    /// They start int8 regions: their float inputs are quantized.</summary>
    Weighted,
    /// <summary>Binary Add/Sub/Mul: each input rescaled from its own quantization, output requantized.</summary>
    Elementwise,
    /// <summary>Unary as a 256-entry lookup table (input 1).</summary>
    Table,
    /// <summary>Concat: inputs with the output's quantization are copied, others requantized.</summary>
    Concat,
    /// <summary>Pools and data movement: the output keeps the input's quantization.</summary>
    ScalePreserving,
    /// <summary>Softmax and LogSoftmax: int8 input, float32 output.</summary>
    Softmax,
}

/// <summary>Which runtime ops have an int8 variant, and under which conditions (docs/quantization.md, "Which ops run int8").</summary>
public static class Int8Ops
{
    /// <summary>The role of <paramref name="node"/>; <see cref="Int8Role.None"/> with the reason when it has no int8 form.</summary>
    public static Int8Role RoleOf(Node node, out string reason)
    {
        reason = "";
        if (!node.TryGetCode(out var code))
        {
            reason = $"{node.OpType} is not a runtime op";
            return Int8Role.None;
        }
        switch (code)
        {
            case OpCode.Conv2D:
            case OpCode.ConvTranspose2D:
            case OpCode.FullyConnected:
                if (node.Activation() != ActivationKind.None && !QuantizationPreparation.IsRangeClamp(node))
                {
                    reason = $"fused {node.Activation()} is no clamp (run QuantizationPreparation.Prepare before calibrating)";
                    return Int8Role.None;
                }
                if (node.Input(1).Constant is null)
                {
                    reason = "its weights are not constant";
                    return Int8Role.None;
                }
                return Int8Role.Weighted;
            case OpCode.Binary:
                var kind = (BinaryKind)node.Int(ParamKey.Kind, 0);
                if (kind is not (BinaryKind.Add or BinaryKind.Sub or BinaryKind.Mul))
                {
                    reason = $"Binary {kind} has no int8 variant";
                    return Int8Role.None;
                }
                if (node.Activation() != ActivationKind.None && !QuantizationPreparation.IsRangeClamp(node))
                {
                    reason = $"fused {node.Activation()} is no clamp (run QuantizationPreparation.Prepare before calibrating)";
                    return Int8Role.None;
                }
                return Int8Role.Elementwise;
            case OpCode.Unary:
                if (!DoubleActivation.CanTabulate(node.Activation()))
                {
                    reason = $"{node.Activation()} has no lookup-table form";
                    return Int8Role.None;
                }
                return Int8Role.Table;
            case OpCode.Concat:
                return Int8Role.Concat;
            case OpCode.Softmax:
                return Int8Role.Softmax;
            case OpCode.MaxPool2D or OpCode.AveragePool2D or OpCode.GlobalAveragePool
                or OpCode.Reshape or OpCode.Transpose or OpCode.Slice or OpCode.Split or OpCode.Gather
                or OpCode.ChannelShuffle or OpCode.DepthToSpace or OpCode.SpaceToDepth:
                return Int8Role.ScalePreserving;
            case OpCode.Pad:
                // Constant padding writes the quantized pad value; only 0 is exact in every quantization.
                if ((PadMode)node.Int(ParamKey.Mode, 0) == PadMode.Constant && node.Float(ParamKey.Value, 0f) != 0f)
                {
                    reason = "it pads with a non-zero constant";
                    return Int8Role.None;
                }
                return Int8Role.ScalePreserving;
            case OpCode.Resize:
                // Nearest moves codes; linear interpolates them in the input's quantization (a convex combination
                // stays in range), over at most two axes (Qs8ResizeLinearReference).
                if ((ResizeMode)node.Int(ParamKey.Mode, 0) == ResizeMode.Linear && ResizedAxes(node) > 2)
                {
                    reason = $"int8 linear Resize interpolates at most two axes, this one resizes {ResizedAxes(node)}";
                    return Int8Role.None;
                }
                return Int8Role.ScalePreserving;
            default:
                reason = $"{code} has no int8 variant";
                return Int8Role.None;
        }
    }

    /// <summary>Axes whose length or scale changes: the ones a linear Resize interpolates along.</summary>
    private static int ResizedAxes(Node node)
    {
        var input = node.Input(0).RequireShape();
        var output = node.Outputs[0].RequireShape();
        var scales = node.Floats(ParamKey.Scales);
        int count = 0;
        for (int a = 0; a < Math.Min(input.Length, output.Length); a++)
            if (input[a] != output[a] || (scales is not null && a < scales.Length && scales[a] != 1f)) count++;
        return count;
    }

    /// <summary>The inputs of a node that carry data to quantize (constant weights and biases are converted
    /// separately): every input but the weights and bias of a weighted op.</summary>
    public static bool IsDataInput(Int8Role role, int index) => role != Int8Role.Weighted || index == 0;
}
