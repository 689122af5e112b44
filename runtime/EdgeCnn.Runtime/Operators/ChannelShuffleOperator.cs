using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.ChannelShuffle"/>: along the last axis, channel g·(C/G) + i goes to i·G + g.
/// Float32, or Int8 with unchanged quantization.</summary>
public sealed class ChannelShuffleOperator : Operator
{
    private int _rows, _channels, _groups, _elementSize;

    public ChannelShuffleOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        if (x.Rank < 1) throw Invalid($"tensor '{x.Name}' must have at least one axis");
        _elementSize = ExpectMovableElements(x, y);
        ExpectShape(y, x.Shape);
        _groups = Read.Int(ParamKey.Group);
        _channels = x.Shape[^1];
        if (_groups < 1 || _channels % _groups != 0)
            throw Invalid($"parameter Group {_groups} must be at least 1 and divide the {_channels} channels");
        _rows = _channels == 0 ? 0 : (int)(x.ElementCount / _channels);
    }

    public override void Invoke(in RunContext context)
    {
        if (_elementSize == 1) ChannelShuffleReference.Run(_rows, _channels, _groups, context.InputBytes(0), context.OutputBytes(0));
        else ChannelShuffleReference.Run(_rows, _channels, _groups, context.Input(0), context.Output(0));
    }
}
