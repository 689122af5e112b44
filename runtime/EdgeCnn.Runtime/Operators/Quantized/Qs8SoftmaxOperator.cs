using System.Runtime.InteropServices;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.Softmax"/> (or LogSoftmax) of int8 data with a Float32 output: the input is dequantized
/// into scratch (<see cref="Qs8DequantizeReference"/>), then the float softmax runs on it
/// (<see cref="F32SoftmaxReference"/>).
/// </summary>
public sealed class Qs8SoftmaxOperator : Operator
{
    private int _outer, _length, _inner, _count, _zeroPoint;
    private float _scale;
    private bool _log;

    public Qs8SoftmaxOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        var qx = Qs8Params.PerTensor(Desc, x);
        ExpectFloat(y);
        ExpectShape(y, x.Shape);
        int axis = Read.Axis(x.Rank);
        _log = Read.Flag(ParamKey.Log, false);
        _outer = ShapeMath.Product(x.Shape, 0, axis);
        _length = x.Shape[axis];
        _inner = ShapeMath.Product(x.Shape, axis + 1, x.Rank);
        _count = (int)x.ElementCount;
        (_scale, _zeroPoint) = (qx.Scale, qx.ZeroPoint);
        context.RequestScratch(checked((_count + F32SoftmaxReference.ScratchFloats(_inner)) * sizeof(float)));
    }

    public override void Invoke(in RunContext context)
    {
        var scratch = MemoryMarshal.Cast<byte, float>(context.Scratch);
        var dequantized = scratch.Slice(0, _count);
        Qs8DequantizeReference.Run(context.Input<sbyte>(0), _scale, _zeroPoint, dequantized);
        F32SoftmaxReference.Run(dequantized, context.Output(0), _outer, _length, _inner, _log, scratch.Slice(_count));
    }
}
