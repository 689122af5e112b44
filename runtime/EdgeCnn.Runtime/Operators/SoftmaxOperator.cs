using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Softmax (Log = 1: LogSoftmax) over one axis, numerically stable.</summary>
public sealed class SoftmaxOperator : Operator
{
    private int _outer;
    private int _length;
    private int _inner;
    private bool _log;

    public SoftmaxOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectFloat(x);
        ExpectFloat(y);
        ExpectShape(y, x.Shape);
        int axis = Read.Axis(x.Rank);
        _log = Read.Flag(ParamKey.Log, false);
        _outer = ShapeMath.Product(x.Shape, 0, axis);
        _length = x.Shape[axis];
        _inner = ShapeMath.Product(x.Shape, axis + 1, x.Rank);
        context.RequestScratch(F32SoftmaxReference.ScratchFloats(_inner) * sizeof(float));
    }

    public override void Invoke(in RunContext context) =>
        F32SoftmaxReference.Run(context.Input(0), context.Output(0), _outer, _length, _inner, _log, context.ScratchFloats);
}
