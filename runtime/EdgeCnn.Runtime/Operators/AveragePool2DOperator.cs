using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary><see cref="OpCode.AveragePool2D"/>: NHWC mean over a Kernel window; CountIncludePad chooses the divisor.</summary>
public sealed class AveragePool2DOperator : Window2DOperator
{
    private Spatial2DGeometry _geometry;
    private bool _countIncludePad;

    public AveragePool2DOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        _geometry = ReadPoolGeometry();
        _countIncludePad = Read.Flag(ParamKey.CountIncludePad, false);
    }

    public override void Invoke(in RunContext context) =>
        F32AveragePool2DReference.Run(_geometry, _countIncludePad, context.Input(0), context.Output(0));
}
