using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary><see cref="OpCode.Quantize"/>: Float32 X → Int8 Y of the same shape with Y's per-tensor params
/// (<see cref="Qs8QuantizeReference"/>; every path but Reference runs <see cref="Qs8QuantizeVector128"/>, same bytes).</summary>
public sealed class QuantizeOperator : Operator
{
    private float _scale;
    private int _zeroPoint;
    private bool _vector;

    public QuantizeOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectFloat(x);
        var q = Qs8Params.PerTensor(Desc, y);
        ExpectShape(y, x.Shape);
        (_scale, _zeroPoint) = (q.Scale, q.ZeroPoint);
        _vector = context.Path != KernelPath.Reference;
    }

    public override void Invoke(in RunContext context)
    {
        if (_vector) Qs8QuantizeVector128.Run(context.Input(0), _scale, _zeroPoint, context.Output<sbyte>(0));
        else Qs8QuantizeReference.Run(context.Input(0), _scale, _zeroPoint, context.Output<sbyte>(0));
    }
}
