using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.LpPool2D"/>: NHWC (Σ|x|^p)^(1/p) over a Kernel window, p ≥ 1 (ONNX's default is 2).</summary>
public sealed class LpPool2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private int _p;

    public LpPool2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        _geometry = ReadPoolGeometry();
        _p = Read.Int(ParamKey.P, 2);
        if (_p < 1) throw Invalid($"parameter P is {_p}, must be at least 1");
    }

    public override void Invoke(in RunContext context) =>
        F32LpPool2DReference.Run(_geometry, _p, context.Input(0), context.Output(0));
}
