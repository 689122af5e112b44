using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.ChannelAffine"/>: y = act(x·Scale[c] + Shift[c]) along the last axis (a folded
/// BatchNormalization that had no convolution to fold into).</summary>
public sealed class ChannelAffineOperator : Operator
{
    private int _rows;
    private FusedActivation _activation;

    public ChannelAffineOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(3, 3);
        ExpectOutputs(1);
        TensorInfo x = InputInfo(0), scale = InputInfo(1), shift = InputInfo(2), y = OutputInfo(0);
        if (x.Rank < 1) throw Invalid($"tensor '{x.Name}' must have at least one axis");
        foreach (var t in new[] { x, scale, shift, y }) ExpectFloat(t);
        int channels = x.Shape[^1];
        ExpectShape(scale, channels);
        ExpectShape(shift, channels);
        ExpectShape(y, x.Shape);
        _rows = channels == 0 ? 0 : (int)(x.ElementCount / channels);
        _activation = FusedActivation.Read(Desc);
    }

    public override void Invoke(in RunContext context)
    {
        var y = context.Output(0);
        F32ChannelAffineReference.Run(_rows, context.Input(1), context.Input(2), context.Input(0), y);
        _activation.ApplyInPlace(y);
    }
}
