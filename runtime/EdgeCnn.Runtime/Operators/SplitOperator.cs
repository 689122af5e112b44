using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Cuts the input along Axis into consecutive pieces of the given Sizes, one per output. Float32, or
/// Int8 with every output quantized like the input.</summary>
public sealed class SplitOperator : Operator
{
    private int[] _blocks = [];
    private int[] _offsets = [];
    private int _outerCount;
    private int _inputBlock;
    private int _elementSize;

    public SplitOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        ExpectInputs(1, 1);
        if (Desc.Outputs.Length == 0) throw Invalid("has no outputs");
        var x = InputInfo(0);
        int rank = x.Rank;
        int axis = Read.Axis(rank);
        var sizes = Read.Ints(ParamKey.Sizes);
        if (sizes.Length != Desc.Outputs.Length)
            throw Invalid($"Sizes has {sizes.Length} entries for {Desc.Outputs.Length} outputs");

        int inner = ShapeMath.Product(x.Shape, axis + 1, rank);
        _outerCount = ShapeMath.Product(x.Shape, 0, axis);
        _inputBlock = x.Shape[axis] * inner;
        _blocks = new int[sizes.Length];
        _offsets = new int[sizes.Length];
        long along = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] < 0) throw Invalid($"Sizes[{i}] is negative ({sizes[i]})");
            var y = OutputInfo(i);
            _elementSize = ExpectMovableElements(x, y);
            var expected = (int[])x.Shape.Clone();
            expected[axis] = sizes[i];
            ExpectShape(y, expected);
            _offsets[i] = (int)Math.Min(along * inner, int.MaxValue);
            _blocks[i] = sizes[i] * inner;
            along += sizes[i];
        }
        if (along != x.Shape[axis]) throw Invalid($"Sizes add up to {along}, the input '{x.Name}' has {x.Shape[axis]} along axis {axis}");
    }

    public override void Invoke(in RunContext context)
    {
        if (_elementSize == 1)
        {
            var bytes = context.InputBytes(0);
            for (int i = 0; i < _blocks.Length; i++)
                BlockCopyReference.Copy(bytes, _offsets[i], _inputBlock, context.OutputBytes(i), 0, _blocks[i], _blocks[i], _outerCount);
            return;
        }
        var input = context.Input(0);
        for (int i = 0; i < _blocks.Length; i++)
            BlockCopyReference.Copy(input, _offsets[i], _inputBlock, context.Output(i), 0, _blocks[i], _blocks[i], _outerCount);
    }
}
