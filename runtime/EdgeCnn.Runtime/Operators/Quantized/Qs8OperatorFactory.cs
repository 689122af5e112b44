using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// Picks the int8 operator of an op whose first input is Int8. Ops that only move elements (Reshape, Transpose,
/// Slice, Split, Gather, ChannelShuffle, DepthToSpace, SpaceToDepth, Pad, nearest Resize, Concat) and Dequantize
/// are handled by their regular operators, which accept Int8 data; for those this returns null.
/// </summary>
internal static class Qs8OperatorFactory
{
    public static Operator? CreateOrNull(OpDesc desc, CompiledModel model)
    {
        if (desc.Inputs.Length == 0 || desc.Inputs[0] < 0 || model.Tensors[desc.Inputs[0]].Type != DataType.Int8) return null;
        return desc.Code switch
        {
            OpCode.Conv2D => new Qs8Conv2DOperator(desc, model),
            OpCode.ConvTranspose2D => new Qs8ConvTranspose2DOperator(desc, model),
            OpCode.FullyConnected => new Qs8FullyConnectedOperator(desc, model),
            OpCode.MaxPool2D => new Qs8MaxPool2DOperator(desc, model),
            OpCode.AveragePool2D => new Qs8AveragePool2DOperator(desc, model),
            OpCode.GlobalAveragePool => new Qs8GlobalAveragePoolOperator(desc, model),
            OpCode.Binary => new Qs8BinaryOperator(desc, model),
            OpCode.Unary => new Qs8UnaryOperator(desc, model),
            OpCode.Softmax => new Qs8SoftmaxOperator(desc, model),
            OpCode.Resize when new ParamReader(desc).Int(ParamKey.Mode, (int)ResizeMode.Nearest) == (int)ResizeMode.Linear
                => new Qs8ResizeLinearOperator(desc, model),
            OpCode.Dequantize or OpCode.Concat or OpCode.Reshape or OpCode.Transpose or OpCode.Slice or OpCode.Split
                or OpCode.Gather or OpCode.ChannelShuffle or OpCode.DepthToSpace or OpCode.SpaceToDepth
                or OpCode.Pad or OpCode.Resize => null,
            _ => throw new ModelFormatException(
                $"op '{desc.Name}' ({desc.Code}): has no int8 variant, but its first input '{model.Tensors[desc.Inputs[0]].Name}' is Int8"),
        };
    }
}
