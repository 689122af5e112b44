using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>An element-wise function (any <see cref="ActivationKind"/>) from X to Y of the same shape.</summary>
public sealed class UnaryOperator : Operator
{
    private FusedActivation _function;

    public UnaryOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        ExpectFloat(x);
        ExpectFloat(y);
        ExpectShape(y, x.Shape);
        _function = FusedActivation.Read(Desc);
    }

    public override void Invoke(in RunContext context) =>
        F32Activation.Apply(_function.Kind, _function.Alpha, _function.Beta, context.Input(0), context.Output(0));
}
