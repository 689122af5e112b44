using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Joins any number of inputs along Axis; every other dimension must agree.</summary>
public sealed class ConcatOperator : Operator
{
    private int[] _blocks = [];
    private int[] _offsets = [];
    private int _outerCount;
    private int _outputBlock;

    public ConcatOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    private ParamReader Read => new(Desc);

    public override void Prepare(PrepareContext context)
    {
        if (Desc.Inputs.Length == 0) throw Invalid("has no inputs");
        ExpectInputs(Desc.Inputs.Length, Desc.Inputs.Length);
        ExpectOutputs(1);
        var y = OutputInfo(0);
        ExpectFloat(y);
        int rank = y.Rank;
        int axis = Read.Int(ParamKey.Axis);
        if ((uint)axis >= (uint)rank) throw Invalid($"Axis {axis} is outside the output rank {rank}");

        int inner = ShapeMath.Product(y.Shape, axis + 1, rank);
        _outerCount = ShapeMath.Product(y.Shape, 0, axis);
        _outputBlock = y.Shape[axis] * inner;
        _blocks = new int[Desc.Inputs.Length];
        _offsets = new int[Desc.Inputs.Length];
        int along = 0;
        for (int i = 0; i < Desc.Inputs.Length; i++)
        {
            var x = InputInfo(i);
            ExpectFloat(x);
            if (x.Rank != rank) throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} has another rank than the output {ShapeMath.Text(y.Shape)}");
            for (int a = 0; a < rank; a++)
                if (a != axis && x.Shape[a] != y.Shape[a])
                    throw Invalid($"input '{x.Name}' {ShapeMath.Text(x.Shape)} differs from the output {ShapeMath.Text(y.Shape)} outside axis {axis}");
            _offsets[i] = along * inner;
            _blocks[i] = x.Shape[axis] * inner;
            along += x.Shape[axis];
        }
        if (along != y.Shape[axis]) throw Invalid($"the inputs add up to {along} along axis {axis}, the output '{y.Name}' has {y.Shape[axis]}");
    }

    public override void Invoke(in RunContext context)
    {
        var output = context.Output(0);
        for (int i = 0; i < _blocks.Length; i++)
            BlockCopyReference.Copy(context.Input(i), 0, _blocks[i], output, _offsets[i], _outputBlock, _blocks[i], _outerCount);
    }
}
