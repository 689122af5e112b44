using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary><see cref="OpCode.Dequantize"/>: Int8 X → Float32 Y of the same shape with X's per-tensor params
/// (<see cref="Qs8DequantizeReference"/>).</summary>
public sealed class DequantizeOperator : Operator
{
    private float _scale;
    private int _zeroPoint;

    public DequantizeOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        var q = Qs8Params.PerTensor(Desc, x);
        ExpectFloat(y);
        ExpectShape(y, x.Shape);
        (_scale, _zeroPoint) = (q.Scale, q.ZeroPoint);
    }

    public override void Invoke(in RunContext context) =>
        Qs8DequantizeReference.Run(context.Input<sbyte>(0), _scale, _zeroPoint, context.Output(0));
}
