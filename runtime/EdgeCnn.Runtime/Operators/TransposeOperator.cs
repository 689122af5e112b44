using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Permutes the axes: output axis i is input axis Perm[i]. Float32, or Int8 with unchanged quantization.</summary>
public sealed class TransposeOperator : Operator
{
    private int[] _shape = [];
    private int[] _strides = [];
    private int _elementSize;

    public TransposeOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        _elementSize = ExpectMovableElements(x, y);
        int rank = x.Rank;
        var perm = Read.Ints(ParamKey.Perm, []);
        if (perm.Length != rank) throw Invalid($"Perm has {perm.Length} entries, the input '{x.Name}' has rank {rank}");
        var seen = new bool[rank];
        foreach (int p in perm)
        {
            if ((uint)p >= (uint)rank || seen[p]) throw Invalid($"Perm [{string.Join(',', perm)}] is not a permutation of 0..{rank - 1}");
            seen[p] = true;
        }
        var expected = new int[rank];
        for (int i = 0; i < rank; i++) expected[i] = x.Shape[perm[i]];
        ExpectShape(y, expected);

        var inStrides = ShapeMath.RowMajorStrides(x.Shape);
        var readStrides = new int[rank];
        for (int i = 0; i < rank; i++) readStrides[i] = inStrides[perm[i]];
        (_shape, var strides) = ShapeMath.Coalesce(expected, readStrides, ShapeMath.RowMajorStrides(expected));
        _strides = strides[0];
    }

    public override void Invoke(in RunContext context)
    {
        if (_elementSize == 1) StridedCopyReference.Copy(context.InputBytes(0), 0, _shape, _strides, context.OutputBytes(0));
        else StridedCopyReference.Copy(context.Input(0), 0, _shape, _strides, context.Output(0));
    }
}
