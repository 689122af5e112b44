using EdgeCnn.Runtime.Kernels;
using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators.Quantized;

/// <summary>
/// <see cref="OpCode.Binary"/> Add, Sub and Mul on int8 data with numpy broadcasting: each input keeps its own
/// quantization and is rescaled to the output's (<see cref="Qs8AddOperation"/>, <see cref="Qs8MulOperation"/>);
/// a fused Relu/Clip becomes the output bounds. The other kinds have no int8 variant. The SIMD kernel of the
/// session's path (<see cref="Qs8BinaryKernel"/>) is prepared once; the Reference path runs <see cref="Qs8BinaryReference"/>.
/// </summary>
public sealed class Qs8BinaryOperator : Operator
{
    private BinaryKind _kind;
    private Qs8AddOperation _add;
    private Qs8MulOperation _mul;
    private int[] _shape = [];
    private int[] _aStrides = [];
    private int[] _bStrides = [];
    private Qs8BinaryKernel? _vector;

    public Qs8BinaryOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(2, 2);
        ExpectOutputs(1);
        TensorInfo a = InputInfo(0), b = InputInfo(1), y = OutputInfo(0);
        var qa = Qs8Params.PerTensor(Desc, a);
        var qb = Qs8Params.PerTensor(Desc, b);
        var qy = Qs8Params.PerTensor(Desc, y);
        _kind = (BinaryKind)Read.Int(ParamKey.Kind);
        if (_kind is not (BinaryKind.Add or BinaryKind.Sub or BinaryKind.Mul))
            throw Invalid($"Binary kind {_kind} has no int8 variant (Add, Sub and Mul have)");
        var (min, max) = Qs8Params.OutputClamp(Desc, qy);
        if (_kind == BinaryKind.Mul) _mul = new Qs8MulOperation(qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint, min, max);
        else _add = new Qs8AddOperation(_kind == BinaryKind.Sub, qa.Scale, qa.ZeroPoint, qb.Scale, qb.ZeroPoint, qy.Scale, qy.ZeroPoint, min, max);

        var shape = ShapeMath.BroadcastShape(a.Shape, b.Shape)
            ?? throw Invalid($"'{a.Name}' {ShapeMath.Text(a.Shape)} and '{b.Name}' {ShapeMath.Text(b.Shape)} do not broadcast");
        ExpectShape(y, shape);
        (_shape, _aStrides, _bStrides) = ShapeMath.BroadcastWalk(a.Shape, b.Shape, shape);
        _vector = _kind == BinaryKind.Mul ? Qs8BinaryKernel.TryCreate(context.Path, _mul) : Qs8BinaryKernel.TryCreate(context.Path, _add);
    }

    public override void Invoke(in RunContext context) => RunRange(in context, 0, context.Output<sbyte>(0).Length);

    /// <summary>Split by ranges of output elements (whole 64-element blocks): each element reads only its own inputs,
    /// and an output written over an input (the planner allows it) is read and written at the same positions.</summary>
    public override int Partitions(int threads)
    {
        long elements = ShapeMath.Product(_shape, 0, _shape.Length);
        return RangeSplit.Parts(elements, threads, elements * WorkPerElement, ElementBlock);
    }

    public override void InvokePartition(in RunContext context, int part, int parts)
    {
        var (begin, end) = RangeSplit.Range(context.Output<sbyte>(0).Length, part, parts, ElementBlock);
        RunRange(in context, begin, end);
    }

    private void RunRange(in RunContext context, int begin, int end)
    {
        var a = context.Input<sbyte>(0);
        var b = context.Input<sbyte>(1);
        var y = context.Output<sbyte>(0);
        if (_vector is not null) _vector.Run(a, _aStrides, b, _bStrides, _shape, y, begin, end);
        else if (_kind == BinaryKind.Mul) Qs8BinaryReference.Run(_mul, a, _aStrides, b, _bStrides, _shape, y, begin, end);
        else Qs8BinaryReference.Run(_add, a, _aStrides, b, _bStrides, _shape, y, begin, end);
    }

    private const int ElementBlock = 64;

    /// <summary>An element costs about as much as a few multiply-accumulates (two rescales and a requantization).</summary>
    private const int WorkPerElement = 4;
}
