using EdgeCnn.Runtime.Model;
using EdgeCnn.Runtime.Operators.Quantized;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Maps an op code to its operator. A plain switch: no reflection, trimming-safe. An op whose first
/// input is Int8 gets its int8 operator (<see cref="Qs8OperatorFactory"/>).</summary>
public static class OperatorFactory
{
    public static Operator Create(OpDesc desc, CompiledModel model) => Qs8OperatorFactory.CreateOrNull(desc, model) ?? desc.Code switch
    {
        // One line per op code: OpCode.X => new XOperator(desc, model),
        // (operators register here)
        OpCode.Conv2D => new Conv2DOperator(desc, model),
        OpCode.ConvTranspose2D => new ConvTranspose2DOperator(desc, model),
        OpCode.MaxPool2D => new MaxPool2DOperator(desc, model),
        OpCode.AveragePool2D => new AveragePool2DOperator(desc, model),
        OpCode.LpPool2D => new LpPool2DOperator(desc, model),
        OpCode.GlobalAveragePool => new GlobalAveragePoolOperator(desc, model),
        OpCode.GlobalMaxPool => new GlobalMaxPoolOperator(desc, model),
        OpCode.Lrn => new LrnOperator(desc, model),
        OpCode.ChannelAffine => new ChannelAffineOperator(desc, model),
        OpCode.DepthToSpace => new DepthToSpaceOperator(desc, model),
        OpCode.SpaceToDepth => new SpaceToDepthOperator(desc, model),
        OpCode.ChannelShuffle => new ChannelShuffleOperator(desc, model),
        OpCode.Unary => new UnaryOperator(desc, model),
        OpCode.Binary => new BinaryOperator(desc, model),
        OpCode.Softmax => new SoftmaxOperator(desc, model),
        OpCode.Gemm => new GemmOperator(desc, model),
        OpCode.MatMul => new MatMulOperator(desc, model),
        OpCode.FullyConnected => new FullyConnectedOperator(desc, model),
        OpCode.Concat => new ConcatOperator(desc, model),
        OpCode.Split => new SplitOperator(desc, model),
        OpCode.Slice => new SliceOperator(desc, model),
        OpCode.Transpose => new TransposeOperator(desc, model),
        OpCode.Reshape => new ReshapeOperator(desc, model),
        OpCode.Pad => new PadOperator(desc, model),
        OpCode.Resize => new ResizeOperator(desc, model),
        OpCode.Reduce => new ReduceOperator(desc, model),
        OpCode.Gather => new GatherOperator(desc, model),
        OpCode.Quantize => new QuantizeOperator(desc, model),
        OpCode.Dequantize => new DequantizeOperator(desc, model),
        _ => throw new ModelFormatException($"op '{desc.Name}': op code {desc.Code} is not supported by this runtime"),
    };

    /// <summary>Whether this runtime can run the op code (the compiler checks before it writes a model).</summary>
    public static bool IsSupported(OpCode code)
    {
        switch (code)
        {
            // (supported op codes register here)
            case OpCode.Conv2D:
            case OpCode.ConvTranspose2D:
            case OpCode.MaxPool2D:
            case OpCode.AveragePool2D:
            case OpCode.LpPool2D:
            case OpCode.GlobalAveragePool:
            case OpCode.GlobalMaxPool:
            case OpCode.Lrn:
            case OpCode.ChannelAffine:
            case OpCode.DepthToSpace:
            case OpCode.SpaceToDepth:
            case OpCode.ChannelShuffle:
            case OpCode.Unary:
            case OpCode.Binary:
            case OpCode.Softmax:
            case OpCode.Gemm:
            case OpCode.MatMul:
            case OpCode.FullyConnected:
            case OpCode.Concat:
            case OpCode.Split:
            case OpCode.Slice:
            case OpCode.Transpose:
            case OpCode.Reshape:
            case OpCode.Pad:
            case OpCode.Resize:
            case OpCode.Reduce:
            case OpCode.Gather:
            case OpCode.Quantize:
            case OpCode.Dequantize:
                return true;
            case (OpCode)0: return false;
            default: return false;
        }
    }
}
