using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Takes start, start+step, ... (excluding end) along every axis; negative steps walk backwards.
/// Float32, or Int8 with unchanged quantization.</summary>
public sealed class SliceOperator : Operator
{
    private int[] _shape = [];
    private int[] _strides = [];
    private int _offset;
    private bool _empty;
    private int _elementSize;

    public SliceOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        _elementSize = ExpectMovableElements(x, y);
        int rank = x.Rank;
        var starts = Read.Ints(ParamKey.Starts, []);
        var ends = Read.Ints(ParamKey.Ends, []);
        var steps = Read.Ints(ParamKey.Steps, []) is { Length: > 0 } given ? given : Enumerable.Repeat(1, rank).ToArray();
        if (starts.Length != rank || ends.Length != rank || steps.Length != rank)
            throw Invalid($"Starts/Ends/Steps have {starts.Length}/{ends.Length}/{steps.Length} entries, the input '{x.Name}' has rank {rank}");

        var counts = new int[rank];
        var inStrides = ShapeMath.RowMajorStrides(x.Shape);
        var readStrides = new int[rank];
        long offset = 0;
        for (int a = 0; a < rank; a++)
        {
            int dim = x.Shape[a];
            long start = starts[a], end = ends[a], step = steps[a];
            if (step == 0) throw Invalid($"Steps[{a}] is 0");
            long count = step > 0 ? (end - start + step - 1) / step : (start - end + (-step) - 1) / (-step);
            count = Math.Max(0, count);
            if (count > 0)
            {
                long last = start + (count - 1) * step;
                if (start < 0 || start >= dim || last < 0 || last >= dim)
                    throw Invalid($"axis {a}: start {start}, end {end}, step {step} reach outside the input dimension {dim}");
            }
            counts[a] = (int)Math.Min(count, int.MaxValue);
            offset += start * inStrides[a];
            readStrides[a] = (int)step * inStrides[a];
        }
        ExpectShape(y, counts);

        _empty = y.ElementCount == 0;
        if (_empty) return;
        _offset = (int)offset;
        (_shape, var strides) = ShapeMath.Coalesce(counts, readStrides, ShapeMath.RowMajorStrides(counts));
        _strides = strides[0];
    }

    public override void Invoke(in RunContext context)
    {
        if (_empty) return;
        if (_elementSize == 1) StridedCopyReference.Copy(context.InputBytes(0), _offset, _shape, _strides, context.OutputBytes(0));
        else StridedCopyReference.Copy(context.Input(0), _offset, _shape, _strides, context.Output(0));
    }
}
