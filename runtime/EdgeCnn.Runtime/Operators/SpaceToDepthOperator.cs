using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.SpaceToDepth"/>: NHWC, BlockSize b, in ONNX's channel order. Float32, or Int8 with
/// unchanged quantization.</summary>
public sealed class SpaceToDepthOperator : Operator
{
    private int _batch, _outHeight, _outWidth, _channels, _block, _elementSize;

    public SpaceToDepthOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectRank(x, 4);
        _elementSize = ExpectMovableElements(x, y);
        _block = Read.Int(ParamKey.BlockSize);
        if (_block < 1) throw Invalid($"parameter BlockSize is {_block}, must be at least 1");
        if (x.Shape[1] % _block != 0 || x.Shape[2] % _block != 0)
            throw Invalid($"input height {x.Shape[1]} and width {x.Shape[2]} must be divisible by BlockSize {_block}");
        (_batch, _outHeight, _outWidth, _channels) = (x.Shape[0], x.Shape[1] / _block, x.Shape[2] / _block, x.Shape[3]);
        ExpectShape(y, _batch, _outHeight, _outWidth, checked(_channels * _block * _block));
    }

    public override void Invoke(in RunContext context)
    {
        if (_elementSize == 1)
            SpaceToDepthReference.Run(_batch, _outHeight, _outWidth, _channels, _block, context.InputBytes(0), context.OutputBytes(0));
        else
            SpaceToDepthReference.Run(_batch, _outHeight, _outWidth, _channels, _block, context.Input(0), context.Output(0));
    }
}
