using EdgeCnn.Runtime.Kernels.Reference;
using EdgeCnn.Runtime.Model;

namespace EdgeCnn.Runtime.Operators;

/// <summary>Gather along Axis with constant indices of any rank: the output shape is
/// input[:axis] + IndicesShape + input[axis+1:]. Float32, or Int8 with unchanged quantization.</summary>
public sealed class GatherOperator : Operator
{
    private int[] _indices = [];
    private int _outerCount;
    private int _axisLength;
    private int _inner;
    private int _elementSize;

    public GatherOperator(OpDesc desc, CompiledModel model) : base(desc, model) { }

    public override void Prepare(PrepareContext context)
    {
        var (x, y) = ExpectOneInputOneOutput();
        _elementSize = ExpectMovableElements(x, y);
        int axis = Read.Axis(x.Rank);
        var indices = Read.Ints(ParamKey.Indices);
        var indicesShape = Read.Ints(ParamKey.IndicesShape, []);
        long count = 1;
        foreach (int d in indicesShape)
        {
            if (d < 0) throw Invalid($"IndicesShape {ShapeMath.Text(indicesShape)} has a negative dimension");
            count *= d;
        }
        if (count != indices.Length) throw Invalid($"Indices holds {indices.Length} values, IndicesShape {ShapeMath.Text(indicesShape)} needs {count}");
        _axisLength = x.Shape[axis];
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)_axisLength)
                throw Invalid($"Indices[{i}] = {indices[i]} is outside 0..{_axisLength - 1} (axis {axis} of '{x.Name}')");

        var expected = new List<int>();
        expected.AddRange(x.Shape.Take(axis));
        expected.AddRange(indicesShape);
        expected.AddRange(x.Shape.Skip(axis + 1));
        ExpectShape(y, expected.ToArray());

        _indices = indices;
        _outerCount = ShapeMath.Product(x.Shape, 0, axis);
        _inner = ShapeMath.Product(x.Shape, axis + 1, x.Rank);
    }

    public override void Invoke(in RunContext context)
    {
        if (_elementSize == 1) GatherReference.Gather(context.InputBytes(0), context.OutputBytes(0), _outerCount, _axisLength, _indices, _inner);
        else GatherReference.Gather(context.Input(0), context.Output(0), _outerCount, _axisLength, _indices, _inner);
    }
}
