using EdgeCnn.Runtime.Kernels.Portable;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>
/// numpy matmul: A[..., M, K]·B[..., K, N] with the batch axes broadcast; a 1-D A is a row [1,K] and a 1-D
/// B a column [K,1], and their promoted axis is dropped from the output. When B has no batch, every batch
/// of A is one tall matrix and the whole op is a single multiply.
/// </summary>
public sealed class MatMulOperator : Operator
{
    private int _m, _n, _k;
    private int[] _aOffsets = [];
    private int[] _bOffsets = [];

    public MatMulOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

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
        if (a.Rank == 0 || b.Rank == 0) throw Invalid("matmul operands must have rank 1 or more");
        int[] aShape = a.Rank == 1 ? [1, a.Shape[0]] : a.Shape;
        int[] bShape = b.Rank == 1 ? [b.Shape[0], 1] : b.Shape;
        _m = aShape[^2];
        _k = aShape[^1];
        int kb = bShape[^2];
        _n = bShape[^1];
        if (kb != _k) throw Invalid($"A '{a.Name}' {ShapeMath.Text(a.Shape)} and B '{b.Name}' {ShapeMath.Text(b.Shape)}: inner dimensions {_k} and {kb} differ");

        var aBatch = aShape[..^2];
        var bBatch = bShape[..^2];
        var batch = ShapeMath.BroadcastShape(aBatch, bBatch)
            ?? throw Invalid($"batch axes of A {ShapeMath.Text(a.Shape)} and B {ShapeMath.Text(b.Shape)} do not broadcast");
        var expected = new List<int>(batch);
        if (a.Rank > 1) expected.Add(_m);
        if (b.Rank > 1) expected.Add(_n);
        ExpectShape(y, expected.ToArray());

        int batchCount = ShapeMath.Product(batch);
        if (ShapeMath.Product(bBatch) == 1)
        {
            // B is shared by every batch, and A's batches are contiguous: one [batch·M, K] multiply.
            _m *= batchCount;
            _aOffsets = [0];
            _bOffsets = [0];
            return;
        }

        var aStrides = ShapeMath.BroadcastStrides(aBatch, batch)!;
        var bStrides = ShapeMath.BroadcastStrides(bBatch, batch)!;
        _aOffsets = new int[batchCount];
        _bOffsets = new int[batchCount];
        var index = new int[batch.Length];
        int aOffset = 0, bOffset = 0;
        for (int i = 0; i < batchCount; i++)
        {
            _aOffsets[i] = aOffset * _m * _k;
            _bOffsets[i] = bOffset * _k * _n;
            for (int axis = batch.Length - 1; axis >= 0; axis--)
            {
                aOffset += aStrides[axis];
                bOffset += bStrides[axis];
                if (++index[axis] < batch[axis]) break;
                aOffset -= aStrides[axis] * batch[axis];
                bOffset -= bStrides[axis] * batch[axis];
                index[axis] = 0;
            }
        }
    }

    public override void Invoke(in RunContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        var y = context.Output(0);
        int aSize = _m * _k, bSize = _k * _n, ySize = _m * _n;
        for (int i = 0; i < _aOffsets.Length; i++)
            F32GemmVector.Multiply(a.Slice(_aOffsets[i], aSize), _k, 1, b.Slice(_bOffsets[i], bSize), default,
                y.Slice(i * ySize, ySize), _m, _n, _k);
    }
}
