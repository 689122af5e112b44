using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.Lrn"/>: NHWC local response normalization across channels (ONNX semantics;
/// Alpha, Beta and Bias default to ONNX's 1e-4, 0.75 and 1).</summary>
public sealed class LrnOperator : Operator
{
    private int _pixels, _channels, _size;
    private float _alpha, _beta, _bias;

    public LrnOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectRank(x, 4);
        ExpectFloat(x);
        ExpectFloat(y);
        ExpectShape(y, x.Shape);
        _size = Read.Int(ParamKey.Size);
        if (_size < 1) throw Invalid($"parameter Size is {_size}, must be at least 1");
        _alpha = Read.Float(ParamKey.Alpha, 1e-4f);
        _beta = Read.Float(ParamKey.Beta, 0.75f);
        _bias = Read.Float(ParamKey.Bias, 1f);
        _channels = x.Shape[3];
        _pixels = x.Shape[0] * x.Shape[1] * x.Shape[2];
    }

    public override void Invoke(in RunContext context) =>
        F32LrnReference.Run(_pixels, _channels, _size, _alpha, _beta, _bias, context.Input(0), context.Output(0));
}
