using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Y = act(A ∘ B) element-wise with numpy broadcasting, for every <see cref="BinaryKind"/>.</summary>
public sealed class BinaryOperator : Operator
{
    private BinaryKind _kind;
    private FusedActivation _activation;
    private int[] _shape = [];
    private int[] _aStrides = [];
    private int[] _bStrides = [];

    public BinaryOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 2);
        ExpectOutputs(1);
        var a = InputInfo(0);
        var b = InputInfo(1);
        var y = OutputInfo(0);
        ExpectFloat(a);
        ExpectFloat(b);
        ExpectFloat(y);
        _kind = (BinaryKind)Read.Int(ParamKey.Kind);
        if (!Enum.IsDefined(_kind)) throw Invalid($"unknown binary Kind {(int)_kind}");
        _activation = FusedActivation.Read(Desc);

        var shape = ShapeMath.BroadcastShape(a.Shape, b.Shape)
            ?? throw Invalid($"'{a.Name}' {ShapeMath.Text(a.Shape)} and '{b.Name}' {ShapeMath.Text(b.Shape)} do not broadcast");
        ExpectShape(y, shape);
        (_shape, _aStrides, _bStrides) = ShapeMath.BroadcastWalk(a.Shape, b.Shape, shape);
    }

    public override void Invoke(in RunContext context)
    {
        var y = context.Output(0);
        F32BinaryReference.Run(_kind, context.Input(0), _aStrides, context.Input(1), _bStrides, _shape, y);
        _activation.ApplyInPlace(y);
    }
}
