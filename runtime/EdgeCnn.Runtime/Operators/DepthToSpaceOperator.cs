using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.DepthToSpace"/>: NHWC, BlockSize b, Mode 0 = DCR / 1 = CRD in ONNX's channel order.
/// Float32, or Int8 with unchanged quantization.</summary>
public sealed class DepthToSpaceOperator : Operator
{
    private int _batch, _height, _width, _channels, _block, _elementSize;
    private bool _columnRowDepth;

    public DepthToSpaceOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectRank(x, 4);
        _elementSize = ExpectMovableElements(x, y);
        _block = Read.Int(ParamKey.BlockSize);
        if (_block < 1) throw Invalid($"parameter BlockSize is {_block}, must be at least 1");
        int mode = Read.Int(ParamKey.Mode, 0);
        if (mode is not (0 or 1)) throw Invalid($"parameter Mode is {mode}, must be 0 (DCR) or 1 (CRD)");
        _columnRowDepth = mode == 1;
        (_batch, _height, _width, _channels) = (x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]);
        long blockArea = (long)_block * _block;
        if (_channels % blockArea != 0) throw Invalid($"input channels {_channels} are not divisible by BlockSize² = {blockArea}");
        ExpectShape(y, _batch, checked(_height * _block), checked(_width * _block), (int)(_channels / blockArea));
    }

    public override void Invoke(in RunContext context)
    {
        if (_elementSize == 1)
            DepthToSpaceReference.Run(_batch, _height, _width, _channels, _block, _columnRowDepth, context.InputBytes(0), context.OutputBytes(0));
        else
            DepthToSpaceReference.Run(_batch, _height, _width, _channels, _block, _columnRowDepth, context.Input(0), context.Output(0));
    }
}
